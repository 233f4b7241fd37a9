using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace FirewallRules.Server;

/// <summary>
/// The Prometheus text format (version 0.0.4) written from one meter's instruments, read with a
/// <see cref="MeterListener"/> (OpenTelemetry's Prometheus exporters are still prerelease). Counters are summed as
/// they are added; observable instruments are read when the text is rendered. Names follow OpenTelemetry's mapping:
/// dots become underscores, a unit of seconds adds <c>_seconds</c>, a counter adds <c>_total</c>.
/// </summary>
internal sealed class PrometheusText : IDisposable
{
    /// <summary>The media type of the Prometheus text format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly MeterListener _listener = new();
    private readonly List<Instrument> _instruments = [];
    private readonly Dictionary<Instrument, Dictionary<string, double>> _values = [];
    private readonly Lock _lock = new();

    public PrometheusText(Meter meter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter == meter)
            {
                lock (_lock)
                {
                    _instruments.Add(instrument);
                    _values[instrument] = new Dictionary<string, double>(StringComparer.Ordinal);
                }

                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>Every instrument's samples: counters as summed so far, observable instruments as they read now.</summary>
    public string Render()
    {
        var text = new StringBuilder();
        lock (_lock)
        {
            foreach (Instrument instrument in _instruments.Where(IsObservable))
            {
                _values[instrument].Clear();
            }

            _listener.RecordObservableInstruments();
            foreach (Instrument instrument in _instruments)
            {
                string name = Name(instrument);
                text.Append("# HELP ").Append(name).Append(' ').Append(instrument.Description).Append('\n');
                text.Append("# TYPE ").Append(name).Append(' ').Append(IsCounter(instrument) ? "counter" : "gauge").Append('\n');
                foreach ((string labels, double value) in _values[instrument].OrderBy(sample => sample.Key, StringComparer.Ordinal))
                {
                    text.Append(name).Append('{').Append(labels).Append("} ").Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
                }
            }
        }

        return text.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string labels = Labels(tags);
        lock (_lock)
        {
            Dictionary<string, double> samples = _values[instrument];
            // An observable instrument reports the value itself; a counter reports what to add to it.
            samples[labels] = IsObservable(instrument) ? value : samples.GetValueOrDefault(labels) + value;
        }
    }

    // The mirror's label values are site keys, result names, route names and status codes: nothing to escape but
    // quotes and backslashes, escaped anyway.
    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = new List<string>(tags.Length);
        foreach ((string key, object? value) in tags)
        {
            string text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
            labels.Add($"{key}=\"{text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"");
        }

        return string.Join(',', labels);
    }

    private static string Name(Instrument instrument) =>
        instrument.Name.Replace('.', '_') + (instrument.Unit == "s" ? "_seconds" : string.Empty) + (IsCounter(instrument) ? "_total" : string.Empty);

    private static bool IsCounter(Instrument instrument) => instrument is Counter<long> or ObservableCounter<long>;

    private static bool IsObservable(Instrument instrument) => instrument.IsObservable;
}
