namespace NeuroCards.AppHost.Publishing;

/// <summary>
/// A bare VPS: systemd units, an nginx site, an .env template and the scripts to install, update, back up and watch it;
/// and the worker-only set for more hosts (deploy-workers.sh with the same worker unit).
/// </summary>
public static class SystemdFiles
{
    private static string Unit(string description, string dll, string port, string extra) => $"""
        [Unit]
        Description={description}
        After=network-online.target postgresql.service
        Wants=network-online.target

        [Service]
        Type=simple
        User=neurocards
        Group=neurocards
        WorkingDirectory=/opt/neurocards/current/{dll}
        EnvironmentFile=/etc/neurocards/neurocards.env
        Environment=ASPNETCORE_URLS=http://127.0.0.1:{port}
        Environment=DOTNET_ENVIRONMENT=Production
        ExecStart=/usr/bin/dotnet /opt/neurocards/current/{dll}/{dll}.dll
        Restart=on-failure
        RestartSec=5
        # Workers release their leases on SIGTERM; give them time.
        TimeoutStopSec=60
        KillSignal=SIGTERM
        NoNewPrivileges=yes
        ProtectSystem=strict
        ProtectHome=yes
        PrivateTmp=yes
        PrivateDevices=yes
        ProtectKernelTunables=yes
        ProtectKernelModules=yes
        ProtectControlGroups=yes
        RestrictSUIDSGID=yes
        LockPersonality=yes
        ReadWritePaths=/var/lib/neurocards
        {extra}
        [Install]
        WantedBy=multi-user.target
        """;

    private const string Nginx = """
        # NeuroCards: only what Telegram, KIE, YooKassa and users' clients need is exposed; everything else is 404.
        server {
            listen 80;
            server_name bot.example.com;
            location /.well-known/acme-challenge/ { root /var/www/certbot; }
            location / { return 301 https://$host$request_uri; }
        }

        server {
            listen 443 ssl http2;
            server_name bot.example.com;
            ssl_certificate /etc/letsencrypt/live/bot.example.com/fullchain.pem;
            ssl_certificate_key /etc/letsencrypt/live/bot.example.com/privkey.pem;
            ssl_protocols TLSv1.2 TLSv1.3;
            client_max_body_size 20m;

            location = /telegram/webhook { proxy_pass http://127.0.0.1:8080; proxy_set_header Host $host; proxy_read_timeout 90s; }
            location = /callbacks/kie { proxy_pass http://127.0.0.1:8080; proxy_set_header Host $host; }
            location = /payments/yookassa/notify { proxy_pass http://127.0.0.1:8080; proxy_set_header Host $host; proxy_set_header X-Forwarded-For $remote_addr; }
            location /media/ { proxy_pass http://127.0.0.1:8080; proxy_set_header Host $host; proxy_buffering off; proxy_read_timeout 300s; }
            location = /health { proxy_pass http://127.0.0.1:8080; }
            location / { return 404; }
        }
        """;

    private const string Deploy = """
        #!/usr/bin/env bash
        # First install on Ubuntu/Debian: PostgreSQL (localhost only), .NET runtime, ffmpeg, nginx, certbot, the services.
        # Usage: sudo DOMAIN=bot.example.com WORKERS=2 ./deploy.sh   (run from a checkout of the repository)
        set -euo pipefail
        : "${DOMAIN:?set DOMAIN=bot.example.com}"
        WORKERS="${WORKERS:-2}"
        here="$(cd "$(dirname "$0")" && pwd)"
        repo="${REPO:-$(cd "$here/.." && pwd)}"

        apt-get update
        apt-get install -y postgresql nginx certbot python3-certbot-nginx ffmpeg fonts-dejavu-core curl
        if ! command -v dotnet >/dev/null; then apt-get install -y aspnetcore-runtime-10.0 dotnet-sdk-10.0; fi

        id neurocards >/dev/null 2>&1 || useradd --system --home /var/lib/neurocards --shell /usr/sbin/nologin neurocards
        install -d -o neurocards -g neurocards /var/lib/neurocards /var/lib/neurocards/media /var/backups/neurocards
        install -d -m 750 /etc/neurocards /opt/neurocards

        # PostgreSQL listens on localhost only (the distribution's default); a role and a database with a random password.
        password="$(openssl rand -hex 24)"
        sudo -u postgres psql -tc "select 1 from pg_roles where rolname = 'neurocards'" | grep -q 1 || \
          sudo -u postgres psql -c "create role neurocards login password '$password'"
        sudo -u postgres psql -tc "select 1 from pg_database where datname = 'neurocards'" | grep -q 1 || \
          sudo -u postgres createdb -O neurocards neurocards

        if [ ! -f /etc/neurocards/neurocards.env ]; then
          install -m 640 -g neurocards "$here/neurocards.env.example" /etc/neurocards/neurocards.env
          sed -i "s|^ConnectionStrings__neurocards=.*|ConnectionStrings__neurocards=Host=127.0.0.1;Database=neurocards;Username=neurocards;Password=$password|" /etc/neurocards/neurocards.env
          sed -i "s|^Storage__SigningKey=.*|Storage__SigningKey=$(openssl rand -hex 32)|" /etc/neurocards/neurocards.env
          sed -i "s|^Telegram__WebhookSecret=.*|Telegram__WebhookSecret=$(openssl rand -hex 24)|" /etc/neurocards/neurocards.env
          sed -i "s|bot.example.com|$DOMAIN|g" /etc/neurocards/neurocards.env
          echo "Fill in the secrets in /etc/neurocards/neurocards.env (bot token, KIE, OpenAI, YooKassa), then run this again."
          exit 0
        fi

        release="/opt/neurocards/releases/$(date +%Y%m%d%H%M%S)"
        dotnet publish "$repo/NeuroCards.Bot/NeuroCards.Bot.csproj" -c Release -o "$release/NeuroCards.Bot"
        dotnet publish "$repo/NeuroCards.Worker/NeuroCards.Worker.csproj" -c Release -o "$release/NeuroCards.Worker"
        ln -sfn "$release" /opt/neurocards/current

        install -m 644 "$here/neurocards-bot.service" "$here/neurocards-worker@.service" /etc/systemd/system/
        systemctl daemon-reload
        # The bot applies migrations on start (an advisory lock keeps replicas from racing).
        systemctl enable --now neurocards-bot
        for i in $(seq 1 "$WORKERS"); do systemctl enable --now "neurocards-worker@$i"; done

        sed "s/bot.example.com/$DOMAIN/g" "$here/nginx-neurocards.conf" > /etc/nginx/sites-available/neurocards
        ln -sfn /etc/nginx/sites-available/neurocards /etc/nginx/sites-enabled/neurocards
        certbot certonly --nginx -d "$DOMAIN" --non-interactive --agree-tos -m "admin@$DOMAIN" || true
        nginx -t && systemctl reload nginx
        "$here/status.sh"
        """;

    private const string DeployWorkers = """
        #!/usr/bin/env bash
        # Workers on another host: the worker units only, against the main host's PostgreSQL (or Supabase) over TLS.
        # Usage (run from a checkout of the repository, twice: the first run writes the environment file to fill in):
        #   sudo NEUROCARDS_DB='Host=db.example.com;Port=5432;Database=neurocards;Username=neurocards;Password=…;SSL Mode=VerifyFull' \
        #        [NEUROCARDS_DB_DIRECT='a direct or session-mode connection, when NEUROCARDS_DB is a transaction pooler'] \
        #        WORKERS=2 ./deploy-workers.sh
        set -euo pipefail
        : "${NEUROCARDS_DB:?set NEUROCARDS_DB to the main database over TLS (Host=…;SSL Mode=VerifyFull)}"
        WORKERS="${WORKERS:-2}"
        ENV_FILE="${ENV_FILE:-/etc/neurocards/neurocards.env}"
        here="$(cd "$(dirname "$0")" && pwd)"
        repo="${REPO:-$(cd "$here/.." && pwd)}"

        # TLS that checks the server's certificate, however Npgsql's keyword is spelt (SSL Mode, SslMode, sslmode): without it a
        # worker on another network would send the database password to whoever answers.
        verified_tls() {
          local s; s=";$(printf '%s' "$1" | tr -d ' ' | tr '[:upper:]' '[:lower:]');"
          case "$s" in *";sslmode=verifyfull;"*|*";sslmode=verifyca;"*|*";sslmode=verify-full;"*|*";sslmode=verify-ca;"*) return 0 ;; *) return 1 ;; esac
        }
        for connection in "$NEUROCARDS_DB" ${NEUROCARDS_DB_DIRECT:+"$NEUROCARDS_DB_DIRECT"}; do
          if ! verified_tls "$connection"; then
            echo "refusing: a worker on another host reaches the database over TLS that checks the server (SSL Mode=VerifyFull or VerifyCA), in NEUROCARDS_DB and NEUROCARDS_DB_DIRECT" >&2; exit 1
          fi
        done

        if [ ! -f "$ENV_FILE" ]; then
          install -d -m 750 "$(dirname "$ENV_FILE")"
          # Written as given (a password may hold any character): the example without its connection lines, then them.
          { grep -v -e '^ConnectionStrings__neurocards=' -e '^ConnectionStrings__neurocards-direct=' "$here/neurocards.env.example"
            printf 'ConnectionStrings__neurocards=%s\nConnectionStrings__neurocards-direct=%s\n' "$NEUROCARDS_DB" "${NEUROCARDS_DB_DIRECT:-}"
          } > "$ENV_FILE.new"
          install -m 640 "$ENV_FILE.new" "$ENV_FILE" && rm -f "$ENV_FILE.new"
          echo "Fill in $ENV_FILE as on the main host (bot token, KIE, OpenAI, shared storage), then run this again."
          exit 0
        fi
        if grep -q '^Storage__Provider=Local' "$ENV_FILE"; then
          echo "refusing: workers on another host need storage both hosts reach (Storage__Provider=AzureBlob or Supabase)" >&2; exit 1
        fi

        apt-get update
        apt-get install -y ffmpeg fonts-dejavu-core curl
        if ! command -v dotnet >/dev/null; then apt-get install -y aspnetcore-runtime-10.0 dotnet-sdk-10.0; fi
        id neurocards >/dev/null 2>&1 || useradd --system --home /var/lib/neurocards --shell /usr/sbin/nologin neurocards
        install -d -o neurocards -g neurocards /var/lib/neurocards /var/lib/neurocards/media
        chgrp neurocards "$ENV_FILE"

        release="/opt/neurocards/releases/$(date +%Y%m%d%H%M%S)"
        dotnet publish "$repo/NeuroCards.Worker/NeuroCards.Worker.csproj" -c Release -o "$release/NeuroCards.Worker"
        ln -sfn "$release" /opt/neurocards/current
        install -m 644 "$here/neurocards-worker@.service" /etc/systemd/system/
        systemctl daemon-reload
        # Running it again is the update: a new release, the workers restarted on it (each releases its leases first).
        for i in $(seq 1 "$WORKERS"); do systemctl enable "neurocards-worker@$i" && systemctl restart "neurocards-worker@$i"; done
        for i in $(seq 1 "$WORKERS"); do echo "neurocards-worker@$i: $(systemctl is-active "neurocards-worker@$i")"; done
        """;

    private const string Update = """
        #!/usr/bin/env bash
        # Publish a new release, switch to it, and roll back if the bot does not come back healthy.
        set -euo pipefail
        here="$(cd "$(dirname "$0")" && pwd)"
        repo="${REPO:-$(cd "$here/.." && pwd)}"
        previous="$(readlink -f /opt/neurocards/current)"
        release="/opt/neurocards/releases/$(date +%Y%m%d%H%M%S)"
        dotnet publish "$repo/NeuroCards.Bot/NeuroCards.Bot.csproj" -c Release -o "$release/NeuroCards.Bot"
        dotnet publish "$repo/NeuroCards.Worker/NeuroCards.Worker.csproj" -c Release -o "$release/NeuroCards.Worker"
        ln -sfn "$release" /opt/neurocards/current
        systemctl restart neurocards-bot 'neurocards-worker@*'
        for _ in $(seq 1 30); do
          if curl -fsS http://127.0.0.1:8080/health >/dev/null; then echo "updated to $release"; exit 0; fi
          sleep 2
        done
        echo "the new release is not healthy: rolling back to $previous" >&2
        ln -sfn "$previous" /opt/neurocards/current
        systemctl restart neurocards-bot 'neurocards-worker@*'
        exit 1
        """;

    private const string Backup = """
        #!/usr/bin/env bash
        # pg_dump (custom format) plus the media folder, timestamped; keeps the last KEEP backups.
        # Connection via the standard PG* variables (PGHOST, PGPORT, PGUSER, PGDATABASE, PGPASSWORD).
        set -euo pipefail
        BACKUP_DIR="${BACKUP_DIR:-/var/backups/neurocards}"
        MEDIA_DIR="${MEDIA_DIR:-/var/lib/neurocards/media}"
        KEEP="${KEEP:-14}"
        stamp="$(date +%Y%m%d-%H%M%S)"
        mkdir -p "$BACKUP_DIR"
        pg_dump -Fc -f "$BACKUP_DIR/neurocards-$stamp.dump"
        tar -C "$MEDIA_DIR" -czf "$BACKUP_DIR/media-$stamp.tar.gz" .
        ls -1t "$BACKUP_DIR"/neurocards-*.dump | tail -n +$((KEEP + 1)) | xargs -r rm -f
        ls -1t "$BACKUP_DIR"/media-*.tar.gz | tail -n +$((KEEP + 1)) | xargs -r rm -f
        echo "$stamp"
        """;

    private const string Restore = """
        #!/usr/bin/env bash
        # Restores a backup made by backup.sh into the database named by PGDATABASE (replacing its objects) and the media folder.
        # Usage: ./restore.sh STAMP    (e.g. 20261124-031500)
        set -euo pipefail
        stamp="${1:?usage: restore.sh STAMP}"
        BACKUP_DIR="${BACKUP_DIR:-/var/backups/neurocards}"
        MEDIA_DIR="${MEDIA_DIR:-/var/lib/neurocards/media}"
        pg_restore --clean --if-exists --no-owner -d "${PGDATABASE:?set PGDATABASE}" "$BACKUP_DIR/neurocards-$stamp.dump"
        mkdir -p "$MEDIA_DIR"
        tar -C "$MEDIA_DIR" -xzf "$BACKUP_DIR/media-$stamp.tar.gz"
        echo "restored $stamp"
        """;

    private const string Status = """
        #!/usr/bin/env bash
        # Health of the services, the job queue by state and the latest failures.
        set -uo pipefail
        echo "bot:    $(curl -fsS http://127.0.0.1:8080/health || echo unreachable)"
        for unit in $(systemctl list-units --plain --no-legend 'neurocards-worker@*' | awk '{print $1}'); do
          echo "$unit: $(systemctl is-active "$unit")"
        done
        echo "queue:"
        psql -X -A -t -c "select status, count(*) from jobs group by status order by status" | sed 's/^/  /'
        echo "latest failures:"
        psql -X -A -t -c "select failed_at, error_class, left(error_text, 80) from jobs where status = 'failed' order by failed_at desc limit 5" | sed 's/^/  /'
        """;

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

    public static Dictionary<string, string> Build(DeployModel model) => new()
    {
        ["neurocards-bot.service"] = Unit("NeuroCards bot (Telegram webhook, payments, callbacks)", "NeuroCards.Bot", "8080", "") + "\n",
        ["neurocards-worker@.service"] = Unit("NeuroCards worker %i (prompt, render, store, deliver)", "NeuroCards.Worker", "81%i", "") + "\n",
        ["nginx-neurocards.conf"] = Nginx + "\n",
        ["neurocards.env.example"] = EnvFile(model),
        ["deploy.sh"] = Deploy.Replace("WORKERS=\"${WORKERS:-2}\"", $"WORKERS=\"${{WORKERS:-{model.Services.Single(s => s.Name == "worker").Replicas}}}\"") + "\n",
        ["deploy-workers.sh"] = DeployWorkers + "\n",
        ["update.sh"] = Update + "\n",
        ["backup.sh"] = Backup + "\n",
        ["restore.sh"] = Restore + "\n",
        ["status.sh"] = Status + "\n",
    };
}
