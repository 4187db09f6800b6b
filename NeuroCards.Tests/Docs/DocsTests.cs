using System.Reflection;
using System.Text.RegularExpressions;
using NeuroCards.Bot;
using NeuroCards.Core.Telegram;
using NeuroCards.TelegramEmulator.State;
using NeuroCards.Worker;

namespace NeuroCards.Tests.Docs;

/// <summary>What a newcomer reads: a short front door whose every link and every file it names exist, and a settings table that matches the code.</summary>
public sealed partial class DocsTests
{
    private static readonly string Root = FindRoot();

    private static IEnumerable<string> Pages() =>
        Directory.GetFiles(Path.Combine(Root, "docs"), "*.md", SearchOption.AllDirectories).Prepend(Path.Combine(Root, "README.md"));

    [Fact]
    public void The_readme_fits_in_one_sitting()
    {
        var lines = File.ReadAllLines(Path.Combine(Root, "README.md"));

        Assert.True(lines.Length < 150, $"README.md has {lines.Length} lines; the rest belongs in docs/");
        Assert.DoesNotMatch(DatePattern(), string.Join('\n', lines));
    }

    [Fact]
    public void Every_link_in_the_docs_leads_somewhere()
    {
        var broken = new List<string>();
        foreach (var page in Pages())
        {
            foreach (Match link in LinkPattern().Matches(File.ReadAllText(page)))
            {
                var target = link.Groups[1].Value;
                if (target.StartsWith("http", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal)) continue;
                var (file, anchor) = target.Split('#', 2) is [var f, var a] ? (f, a) : (target, null);
                var path = file.Length == 0 ? page : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(page)!, file));
                if (!File.Exists(path) && !Directory.Exists(path)) broken.Add($"{Relative(page)}: {target} (no such file)");
                else if (anchor is not null && File.Exists(path) && !Anchors(path).Contains(anchor)) broken.Add($"{Relative(page)}: {target} (no such heading)");
            }
        }

        Assert.True(broken.Count == 0, string.Join("\n", broken));
    }

    [Fact]
    public void Every_file_the_docs_name_exists()
    {
        var files = Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
            .Select(Relative).Where(f => !f.Contains("/bin/") && !f.Contains("/obj/") && !f.StartsWith(".git/", StringComparison.Ordinal)).ToList();
        var missing = new List<string>();
        foreach (var page in Pages())
        {
            foreach (Match mention in FilePattern().Matches(File.ReadAllText(page)))
            {
                var name = mention.Groups[1].Value.TrimStart('/');
                // What a command writes (the publish output, test results, local state) is not in the repository.
                if (name.StartsWith("deploy/", StringComparison.Ordinal) || name.StartsWith("TestResults/", StringComparison.Ordinal)
                    || name.StartsWith(".neurocards/", StringComparison.Ordinal)) continue;
                if (!files.Any(f => f == name || f.EndsWith("/" + name, StringComparison.Ordinal))) missing.Add($"{Relative(page)}: {name}");
            }
        }

        Assert.True(missing.Count == 0, string.Join("\n", missing));
    }

    [Fact]
    public void The_configuration_reference_names_every_setting_and_only_real_ones()
    {
        var settings = OptionsClasses().SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.SetMethod?.IsPublic == true)
                .Select(p => ((string)t.GetField("Section")!.GetValue(null)!).Replace(":", "__") + "__" + p.Name))
            .ToHashSet();
        var documented = KeyPattern().Matches(File.ReadAllText(Path.Combine(Root, "docs", "configuration.md")))
            .Select(m => m.Groups[1].Value).ToHashSet();

        var undocumented = settings.Where(s => !documented.Contains(s) && !s.StartsWith("Generation__Models", StringComparison.Ordinal)).Order().ToList();
        // Backup__* are read by the VPS scripts from the same file, not by the services.
        var unknown = documented.Where(d => !settings.Contains(d) && !d.StartsWith("ConnectionStrings__", StringComparison.Ordinal)
                                            && !d.StartsWith("Backup__", StringComparison.Ordinal)
                                            && !d.StartsWith("Generation__Models__", StringComparison.Ordinal)).Order().ToList();

        Assert.True(undocumented.Count == 0, "not in docs/configuration.md: " + string.Join(", ", undocumented));
        Assert.True(unknown.Count == 0, "no such setting: " + string.Join(", ", unknown));
    }

    private static IEnumerable<Type> OptionsClasses() =>
        new[] { typeof(BotOptions), typeof(WorkerOptions), typeof(TelegramOptions), typeof(EmulatorOptions) }
            .SelectMany(t => t.Assembly.GetTypes())
            .Where(t => t.Name.EndsWith("Options", StringComparison.Ordinal) && t.IsClass && t.GetField("Section") is not null)
            .Distinct();

    private static HashSet<string> Anchors(string path) =>
        File.ReadLines(path).Where(l => l.StartsWith('#'))
            .Select(l => SlugDrop().Replace(l.TrimStart('#').Trim().ToLowerInvariant(), "").Replace(' ', '-')).ToHashSet();

    private static string Relative(string path) => Path.GetRelativePath(Root, path).Replace('\\', '/');

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NeuroCards.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("NeuroCards.sln not found above the test binaries");
    }

    [GeneratedRegex(@"\]\(([^)\s]+)\)")]
    private static partial Regex LinkPattern();

    // A file named in code quotes: a path with a folder and a known extension.
    [GeneratedRegex(@"`((?:[\w.@-]+/)+[\w.@-]+\.(?:cs|sh|md|sql|json|csproj|props|yml|conf|service))`")]
    private static partial Regex FilePattern();

    [GeneratedRegex(@"`([A-Z][A-Za-z]+(?:__[A-Za-z][\w-]*)+)`")]
    private static partial Regex KeyPattern();

    [GeneratedRegex(@"[^\p{L}\p{N} _-]")]
    private static partial Regex SlugDrop();

    [GeneratedRegex(@"\b20\d\d-\d\d-\d\d\b")]
    private static partial Regex DatePattern();
}
