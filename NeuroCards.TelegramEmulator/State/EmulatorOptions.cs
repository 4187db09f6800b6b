using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace NeuroCards.TelegramEmulator.State;

public sealed partial class EmulatorOptions
{
    [OptionsValidator]
    public sealed partial class Validator : IValidateOptions<EmulatorOptions>;

    public const string Section = "Emulator";

    /// <summary>Behave like a local Bot API server: uploads up to 2000 MB instead of 50 MB.</summary>
    public bool LocalServer { get; set; }

    [Required]
    public string FilesPath { get; set; } = Path.Combine(Path.GetTempPath(), "neurocards-emulator-files");

    public long UploadLimitBytes => LocalServer ? 2000L * 1024 * 1024 : 50L * 1024 * 1024;
}
