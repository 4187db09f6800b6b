namespace NeuroCards.Core.Generation;

/// <summary>Which KIE API a model is rendered through: the market's jobs/createTask, or Veo's own veo/generate.</summary>
public enum ModelFamily
{
    Market,
    Veo,
}
