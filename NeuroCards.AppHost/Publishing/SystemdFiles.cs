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
        "deploy.sh", "install.sh", "common.sh", "update.sh", "backup.sh", "restore.sh", "status.sh", "cutover.sh", "deploy-workers.sh",
        "neurocards-bot.service", "neurocards-worker@.service", "neurocards-backup.service", "neurocards-backup.timer",
        "nginx-neurocards.conf", "nginx-neurocards-http.conf",
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
        var lines = new System.Text.StringBuilder("""
            # NeuroCards settings, one KEY=value a line. deploy.sh copies this file to deploy/vps/neurocards.env with random secrets
            # and the public addresses filled in; edit that copy on your machine: every deploy.sh writes it to the server as
            # /etc/neurocards/neurocards.env, with the database added (an edit made on the server is replaced).

            """);
        var notes = model.Parameters.Where(p => !string.IsNullOrEmpty(p.Description)).ToDictionary(p => p.Name, p => p.Description!);
        foreach (var (key, value) in model.Services.SelectMany(s => s.Environment).DistinctBy(e => e.Key).OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (value is ParameterResource parameter && notes.TryGetValue(parameter.Name, out var note)) lines.Append("# ").AppendLine(note);
            lines.Append(key).Append('=').AppendLine(DeployValues.EnvFile.Render(value));
        }
        lines.Append("""
            # Backups (backup.sh, nightly): dumps kept, free space kept on the disk, and an off-host copy (user@host:/path, over ssh)
            Backup__Keep=7
            Backup__MinFreeMb=1024
            Backup__Target=

            """);
        return lines.ToString();
    }

    public static Dictionary<string, string> Build(DeployModel model)
    {
        var files = Templates.ToDictionary(name => name, Template);
        var workers = model.Services.Single(s => s.Name == "worker").Replicas;
        files["deploy.sh"] = files["deploy.sh"].Replace("workers=\"${WORKERS:-2}\"", $"workers=\"${{WORKERS:-{workers}}}\"");
        files["neurocards.env.example"] = EnvFile(model);
        return files;
    }
}
