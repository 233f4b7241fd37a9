namespace FirewallRules.Cidr;

/// <summary>Why a piece of text is not a valid prefix; turned into words by <see cref="AddressText.Describe"/>.</summary>
internal enum PrefixError
{
    None,
    Empty,
    TooLong,
    UnexpectedCharacter,
    NotAnAddress,
    LeadingZeroInOctet,
    OctetOutOfRange,
    NotCanonical,
    MissingLength,
    LeadingZeroInLength,
    LengthOutOfRange,
    HostBitsSet,
}
