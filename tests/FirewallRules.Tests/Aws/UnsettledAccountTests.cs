using System.Net;
using Amazon.EC2;
using Amazon.Runtime;
using FirewallRules.Aws;
using FirewallRules.Cli.Commands;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Aws;

/// <summary>
/// The lines of a run that gives up or fails: another writer told apart by the lists' versions, a resize left named with
/// its MaxEntries, and an AWS error kept to one line of plain text.
/// </summary>
[TestFixture]
[Category("Aws")]
public sealed class UnsettledAccountTests
{
    private static readonly AwsPrefixListChange Left = new("n-ipv4", "pl-1", AddressFamilies.IPv4, AwsListAction.Modified, [], [], 10, 10) { Version = 7 };

    [Test]
    public void OtherWriter_ReadBackAtTheVersionThisRunLeft_False() =>
        Assert.That(UnsettledAccount.OtherWriter(Report(Left), Report(Left with { Version = 7 })), Is.False);

    [Test]
    public void OtherWriter_ListMovedPastTheVersionThisRunLeft_True() =>
        Assert.That(UnsettledAccount.OtherWriter(Report(Left), Report(Left with { Version = 8 })), Is.True);

    [Test]
    public void OtherWriter_AListThisRunDidNotLeave_True() =>
        Assert.That(UnsettledAccount.OtherWriter(Report(Left), Report(Left, Left with { Id = "pl-2", Name = "n-ipv4-2", Action = AwsListAction.Deleted })), Is.True);

    [Test]
    public void Message_SameDifferenceEveryTimeButAnotherWriter_SaysSomeoneElseNotAws()
    {
        string message = UnsettledAccount.Message("n", withGroups: false, ["n-ipv4: 5 entries to add, 5 to remove", "n-ipv4: 5 entries to add, 5 to remove"], true, string.Empty);

        Assert.That(message, Does.Contain("changed by someone else").And.Not.Contain("did not keep"));
    }

    [Test]
    public void Resizes_SizeLeftToChange_NamesMaxEntriesTheQuotaAndTheCallByHand()
    {
        AwsPrefixListChange resize = Left with { MaxEntries = 11, MaxEntriesRead = 165 };

        string text = UnsettledAccount.Describe(Report(resize), null) + UnsettledAccount.Resizes(Report(resize));

        Assert.That(text, Does.StartWith("n-ipv4: MaxEntries is 165, to be 11;").And.Contain("rules-per-group quota")
            .And.Contain("aws ec2 modify-managed-prefix-list --prefix-list-id pl-1 --current-version 7 --max-entries 11"));
    }

    [Test]
    public void Describe_AnAnswerThatIsAnHtmlPage_TheCodeAndStatusOnOneLineWithoutTheBody()
    {
        var html = new AmazonEC2Exception("The service returned an error with HTTP Body: <!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>",
            ErrorType.Unknown, "InternalFailure", "r", HttpStatusCode.InternalServerError);

        string text = AwsCall.Describe(html);

        Assert.That(text, Does.StartWith("InternalFailure: HTTP 500 ").And.Not.Contain("<").And.Not.Contain("\n"));
    }

    [Test]
    public void Describe_AnAwsErrorOverSeveralLines_OneLine() =>
        Assert.That(AwsCall.Describe(new AmazonEC2Exception("first\nsecond", ErrorType.Sender, "InvalidParameterValue", "r", HttpStatusCode.BadRequest)),
            Is.EqualTo("InvalidParameterValue: first second"));

    private static AwsPrefixListReport Report(params AwsPrefixListChange[] lists) => new(lists, 1);
}
