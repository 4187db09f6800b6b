namespace NeuroCards.Core.Storage;

public enum ImageKind
{
    Jpeg,
    Png,
    Webp,
}
