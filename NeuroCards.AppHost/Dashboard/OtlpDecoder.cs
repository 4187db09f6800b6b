namespace NeuroCards.AppHost.Dashboard;

/// <summary>Reads OTLP/HTTP protobuf exports (traces, logs, metrics) into the telemetry store.</summary>
public static class OtlpDecoder
{
    // ExportTraceServiceRequest.resource_spans = 1; ResourceSpans.resource = 1, scope_spans = 2; ScopeSpans.spans = 2.
    public static int Traces(ReadOnlySpan<byte> body, TelemetryStore store)
    {
        var count = 0;
        var request = new ProtoReader(body);
        while (request.Next(out var f, out var w))
        {
            if (f != 1 || w != 2) { request.Skip(w); continue; }
            var resourceSpans = new ProtoReader(request.Bytes());
            var service = "unknown";
            var spans = new List<byte[]>();
            while (resourceSpans.Next(out var rf, out var rw))
            {
                if (rf == 1 && rw == 2) service = ServiceName(resourceSpans.Bytes()) ?? service;
                else if (rf == 2 && rw == 2)
                {
                    var scope = new ProtoReader(resourceSpans.Bytes());
                    while (scope.Next(out var sf, out var sw))
                    {
                        if (sf == 2 && sw == 2) spans.Add(scope.Bytes().ToArray()); else scope.Skip(sw);
                    }
                }
                else resourceSpans.Skip(rw);
            }
            foreach (var span in spans)
            {
                store.Add(Span(span, service));
                count++;
            }
        }
        return count;
    }

    private static SpanRecord Span(ReadOnlySpan<byte> bytes, string service)
    {
        var r = new ProtoReader(bytes);
        string trace = "", id = "", name = "";
        string? parent = null;
        ulong start = 0, end = 0;
        var attributes = new Dictionary<string, string>();
        while (r.Next(out var f, out var w))
        {
            switch (f)
            {
                case 1 when w == 2: trace = Convert.ToHexStringLower(r.Bytes()); break;
                case 2 when w == 2: id = Convert.ToHexStringLower(r.Bytes()); break;
                case 4 when w == 2: var p = r.Bytes(); parent = p.Length == 0 ? null : Convert.ToHexStringLower(p); break;
                case 5 when w == 2: name = r.String(); break;
                case 7 when w == 1: start = r.Fixed64(); break;
                case 8 when w == 1: end = r.Fixed64(); break;
                case 9 when w == 2: var (k, v) = KeyValue(r.Bytes()); attributes[k] = v; break;
                default: r.Skip(w); break;
            }
        }
        return new SpanRecord(service, trace, id, parent, name, FromNanos(start), (end - start) / 1e6, attributes);
    }

    // ExportLogsServiceRequest.resource_logs = 1; ResourceLogs.resource = 1, scope_logs = 2; ScopeLogs.log_records = 2.
    public static int Logs(ReadOnlySpan<byte> body, TelemetryStore store)
    {
        var count = 0;
        var request = new ProtoReader(body);
        while (request.Next(out var f, out var w))
        {
            if (f != 1 || w != 2) { request.Skip(w); continue; }
            var resourceLogs = new ProtoReader(request.Bytes());
            var service = "unknown";
            var records = new List<byte[]>();
            while (resourceLogs.Next(out var rf, out var rw))
            {
                if (rf == 1 && rw == 2) service = ServiceName(resourceLogs.Bytes()) ?? service;
                else if (rf == 2 && rw == 2)
                {
                    var scope = new ProtoReader(resourceLogs.Bytes());
                    while (scope.Next(out var sf, out var sw))
                    {
                        if (sf == 2 && sw == 2) records.Add(scope.Bytes().ToArray()); else scope.Skip(sw);
                    }
                }
                else resourceLogs.Skip(rw);
            }
            foreach (var record in records)
            {
                var r = new ProtoReader(record);
                ulong time = 0;
                string severity = "", message = "";
                string? trace = null;
                while (r.Next(out var lf, out var lw))
                {
                    switch (lf)
                    {
                        case 1 when lw == 1: time = r.Fixed64(); break;
                        case 11 when lw == 1: var observed = r.Fixed64(); if (time == 0) time = observed; break;
                        case 3 when lw == 2: severity = r.String(); break;
                        case 5 when lw == 2: message = AnyValue(r.Bytes()); break;
                        case 9 when lw == 2: var t = r.Bytes(); trace = t.Length == 0 ? null : Convert.ToHexStringLower(t); break;
                        default: r.Skip(lw); break;
                    }
                }
                store.Add(new LogRecord(service, FromNanos(time), severity, message, trace));
                count++;
            }
        }
        return count;
    }

    // Metrics: ResourceMetrics.scope_metrics = 2; ScopeMetrics.metrics = 2; Metric.name = 1, gauge = 5, sum = 7; data_points = 1;
    // NumberDataPoint.as_double = 4 (fixed64), as_int = 6 (sfixed64), time = 3.
    public static int Metrics(ReadOnlySpan<byte> body, TelemetryStore store)
    {
        var count = 0;
        var request = new ProtoReader(body);
        while (request.Next(out var f, out var w))
        {
            if (f != 1 || w != 2) { request.Skip(w); continue; }
            var resource = new ProtoReader(request.Bytes());
            var service = "unknown";
            var metrics = new List<byte[]>();
            while (resource.Next(out var rf, out var rw))
            {
                if (rf == 1 && rw == 2) service = ServiceName(resource.Bytes()) ?? service;
                else if (rf == 2 && rw == 2)
                {
                    var scope = new ProtoReader(resource.Bytes());
                    while (scope.Next(out var sf, out var sw))
                    {
                        if (sf == 2 && sw == 2) metrics.Add(scope.Bytes().ToArray()); else scope.Skip(sw);
                    }
                }
                else resource.Skip(rw);
            }
            foreach (var metric in metrics)
            {
                var r = new ProtoReader(metric);
                var name = "";
                double? value = null;
                while (r.Next(out var mf, out var mw))
                {
                    if (mf == 1 && mw == 2) name = r.String();
                    else if ((mf == 5 || mf == 7) && mw == 2) value = LastPoint(r.Bytes()) ?? value;
                    else r.Skip(mw);
                }
                if (value is not null)
                {
                    store.Add(new MetricRecord(service, name, value.Value, DateTime.UtcNow));
                    count++;
                }
            }
        }
        return count;
    }

    private static double? LastPoint(ReadOnlySpan<byte> gaugeOrSum)
    {
        double? value = null;
        var r = new ProtoReader(gaugeOrSum);
        while (r.Next(out var f, out var w))
        {
            if (f != 1 || w != 2) { r.Skip(w); continue; }
            var point = new ProtoReader(r.Bytes());
            while (point.Next(out var pf, out var pw))
            {
                if (pf == 4 && pw == 1) value = BitConverter.UInt64BitsToDouble(point.Fixed64());
                else if (pf == 6 && pw == 1) value = (long)point.Fixed64();
                else point.Skip(pw);
            }
        }
        return value;
    }

    private static string? ServiceName(ReadOnlySpan<byte> resource)
    {
        var r = new ProtoReader(resource);
        while (r.Next(out var f, out var w))
        {
            if (f == 1 && w == 2)
            {
                var (k, v) = KeyValue(r.Bytes());
                if (k == "service.name") return v;
            }
            else r.Skip(w);
        }
        return null;
    }

    private static (string Key, string Value) KeyValue(ReadOnlySpan<byte> bytes)
    {
        var r = new ProtoReader(bytes);
        string key = "", value = "";
        while (r.Next(out var f, out var w))
        {
            if (f == 1 && w == 2) key = r.String();
            else if (f == 2 && w == 2) value = AnyValue(r.Bytes());
            else r.Skip(w);
        }
        return (key, value);
    }

    private static string AnyValue(ReadOnlySpan<byte> bytes)
    {
        var r = new ProtoReader(bytes);
        while (r.Next(out var f, out var w))
        {
            switch (f)
            {
                case 1 when w == 2: return r.String();
                case 2 when w == 0: return r.Varint() != 0 ? "true" : "false";
                case 3 when w == 0: return ((long)r.Varint()).ToString();
                case 4 when w == 1: return BitConverter.UInt64BitsToDouble(r.Fixed64()).ToString(System.Globalization.CultureInfo.InvariantCulture);
                default: r.Skip(w); break;
            }
        }
        return "";
    }

    private static DateTime FromNanos(ulong nanos) => DateTime.UnixEpoch.AddTicks((long)(nanos / 100));
}
