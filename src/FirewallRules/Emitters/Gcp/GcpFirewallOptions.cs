namespace FirewallRules.Emitters.Gcp;

/// <summary>
/// Options for the Google Cloud VPC firewall formats (<c>gcp-firewall</c>, <c>terraform-gcp</c>). Rules are named
/// <c>{Name}-egress-tcp-443-ipv4</c> (with <c>-2</c>, <c>-3</c> ... when a list is split) and numbered from
/// <see cref="FirstPriority"/> by <see cref="PriorityStep"/>, separately per direction; GCP evaluates lower numbers first.
/// </summary>
public sealed class GcpFirewallOptions : EmitterOptions
{
    private const int MaxPriority = 65535;
    private readonly string _network = "default";
    private readonly IReadOnlyList<string> _targetTags = [];
    private readonly IReadOnlyList<string> _targetServiceAccounts = [];
    private readonly int _firstPriority = 1000;
    private readonly int _priorityStep = 1;
    private readonly int _denyPriority = 65534;
    private readonly int _maxRangesPerRule = 256;

    /// <summary>Creates options with the defaults.</summary>
    public GcpFirewallOptions()
    {
    }

    /// <summary>Creates options with this class's defaults and the settings every emitter shares taken from <paramref name="shared"/>.</summary>
    /// <param name="shared">The shared settings (name, comments, families, prefix budget) to copy.</param>
    public GcpFirewallOptions(EmitterOptions shared)
        : base(shared)
    {
    }

    /// <summary>The VPC network the rules belong to.</summary>
    /// <value><c>default</c>. A GCP resource name: 1 to 63 lowercase letters, digits and <c>-</c>, starting with a letter.</value>
    /// <exception cref="ArgumentException">The value is not a GCP resource name.</exception>
    public string Network
    {
        get => _network;
        init => _network = GcpNames.IsValid(value) ? value : throw new ArgumentException($"'{value}' is not a network name: {GcpNames.Rule}", nameof(value));
    }

    /// <summary>The network tags of the instances the rules apply to; none (and no service account) means every instance of the network.</summary>
    /// <exception cref="ArgumentException">A tag is not a GCP tag (1 to 63 lowercase letters, digits and <c>-</c>, starting with a letter).</exception>
    public IReadOnlyList<string> TargetTags
    {
        get => _targetTags;
        init => _targetTags = value.All(GcpNames.IsValid)
            ? [.. value]
            : throw new ArgumentException($"'{value.First(t => !GcpNames.IsValid(t))}' is not a network tag: {GcpNames.Rule}", nameof(value));
    }

    /// <summary>The service accounts of the instances the rules apply to, instead of tags (GCP takes one or the other).</summary>
    /// <exception cref="ArgumentException">An entry is not a service account e-mail address.</exception>
    public IReadOnlyList<string> TargetServiceAccounts
    {
        get => _targetServiceAccounts;
        init => _targetServiceAccounts = value.All(GcpNames.IsServiceAccount)
            ? [.. value]
            : throw new ArgumentException(
                $"'{value.First(a => !GcpNames.IsServiceAccount(a))}' is not a service account e-mail address (NAME@PROJECT.iam.gserviceaccount.com)", nameof(value));
    }

    /// <summary>The priority of the first rule in each direction.</summary>
    /// <value>1000, GCP's default priority.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside 0-65535.</exception>
    public int FirstPriority
    {
        get => _firstPriority;
        init => _firstPriority = InRange(value, 0, MaxPriority);
    }

    /// <summary>The gap between consecutive rules' priorities: split rules get distinct priorities.</summary>
    /// <value>1.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside 1-1000.</exception>
    public int PriorityStep
    {
        get => _priorityStep;
        init => _priorityStep = InRange(value, 1, 1000);
    }

    /// <summary>
    /// Whether an egress allow-list also gets rules denying all other egress (<c>0.0.0.0/0</c> and <c>::/0</c>) at
    /// <see cref="DenyPriority"/>. Without them GCP's implied allow-egress rule (priority 65535) lets everything out and
    /// the allow-list restricts nothing. Egress rules that only deny get none.
    /// </summary>
    /// <value><see langword="true"/>.</value>
    public bool DenyOtherEgress { get; init; } = true;

    /// <summary>
    /// The priority of the last deny the output adds in a direction (the egress deny, or a closed port's deny), the
    /// others just below it. They come after every rule of the set. At equal priority GCP lets a deny win over an allow,
    /// so at 65534 a closed port's deny still beats the default network's <c>default-allow-internal</c> (65534).
    /// </summary>
    /// <value>65534, the last priority before GCP's implied rules.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside 0-65535.</exception>
    public int DenyPriority
    {
        get => _denyPriority;
        init => _denyPriority = InRange(value, 0, MaxPriority);
    }

    /// <summary>
    /// At most this many ranges in one rule; longer lists are split over numbered rules. Google's pages we found state no
    /// per-rule figure for VPC firewall rules; 256 is the limit users report meeting.
    /// </summary>
    /// <value>256.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside 1-5000.</exception>
    public int MaxRangesPerRule
    {
        get => _maxRangesPerRule;
        init => _maxRangesPerRule = InRange(value, 1, 5000);
    }

    /// <summary>These options when <paramref name="options"/> already are, otherwise the defaults with its shared settings.</summary>
    internal static GcpFirewallOptions From(EmitterOptions options) => options as GcpFirewallOptions ?? new(options);

    private static int InRange(int value, int min, int max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(value, min);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, max);
        return value;
    }
}
