namespace NeuroCards.AppHost.Publishing;

/// <summary>
/// A bare VPS: systemd units, an nginx site, an .env template and the scripts to install, update, back up and watch it;
/// and the worker-only set for more hosts (deploy-workers.sh with the same worker unit).
/// </summary>
public static class SystemdFiles
{
    // The units, the nginx site and the scripts are files in Publishing/Templates (embedded as deploy/…), kept as they are
    // deployed so shellcheck, systemd-analyze and nginx -t read them directly; only the .env and the worker count come from the model.
    private static readonly string[] Templates =
    [
        "neurocards-bot.service", "neurocards-worker@.service", "nginx-neurocards.conf",
        "deploy.sh", "deploy-workers.sh", "update.sh", "backup.sh", "restore.sh", "status.sh",
    ];

    public static string Template(string name)
    {
        using var stream = typeof(SystemdFiles).Assembly.GetManifestResourceStream("deploy/" + name)
                           ?? throw new InvalidOperationException($"The deploy template {name} is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The environment file of a VPS: every setting the app model gives the services, defaults written out.</summary>
    public static string EnvFile(DeployModel model)
    {
        var lines = new System.Text.StringBuilder("# /etc/neurocards/neurocards.env: deploy.sh fills in the database and random secrets; add the bot token, KIE, OpenAI and YooKassa.\n");
        var notes = model.Parameters.Where(p => !string.IsNullOrEmpty(p.Description)).ToDictionary(p => p.Name, p => p.Description!);
        foreach (var (key, value) in model.Services.SelectMany(s => s.Environment).DistinctBy(e => e.Key).OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (value is ParameterResource parameter && notes.TryGetValue(parameter.Name, out var note)) lines.Append("# ").AppendLine(note);
            lines.Append(key).Append('=').AppendLine(DeployValues.EnvFile.Render(value));
        }
        return lines.ToString();
    }

    public static Dictionary<string, string> Build(DeployModel model)
    {
        var files = Templates.ToDictionary(name => name, Template);
        var workers = model.Services.Single(s => s.Name == "worker").Replicas;
        files["deploy.sh"] = files["deploy.sh"].Replace("WORKERS=\"${WORKERS:-2}\"", $"WORKERS=\"${{WORKERS:-{workers}}}\"");
        files["neurocards.env.example"] = EnvFile(model);
        return files;
    }
}
