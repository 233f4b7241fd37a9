namespace FirewallRules.Emitters.Aws;

/// <summary>
/// What AWS ids and names look like, as regular expressions the outputs check their inputs with (CloudFormation
/// parameters' <c>AllowedPattern</c>, Terraform variables' validation), and the message when one does not match.
/// </summary>
internal static class AwsIdPatterns
{
    /// <summary>A VPC id: <c>vpc-</c> and 8 or 17 hexadecimal digits.</summary>
    public const string Vpc = "^vpc-[0-9a-f]{8}([0-9a-f]{9})?$";

    /// <summary>What to give instead of a value that is not a VPC id.</summary>
    public const string VpcError = "Give a VPC id: vpc- and 8 or 17 hexadecimal digits.";

    /// <summary>A subnet id: <c>subnet-</c> and 8 or 17 hexadecimal digits.</summary>
    public const string Subnet = "^subnet-[0-9a-f]{8}([0-9a-f]{9})?$";

    /// <summary>An AWS region name such as <c>eu-west-1</c> or <c>us-gov-west-1</c>.</summary>
    public const string Region = "^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]+$";
}
