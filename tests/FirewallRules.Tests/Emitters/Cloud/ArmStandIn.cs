using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FirewallRules.Tests.Emitters;

/// <summary>
/// A loopback HTTPS stand-in for Azure Resource Manager (Kestrel, a self-signed certificate for 127.0.0.1), enough for
/// the real <c>az</c> to register it as a cloud, log in with a managed identity and manage one NSG's security rules:
/// the cloud's metadata, a managed-identity token, one subscription, the NSG, and GET, PUT, DELETE and list of its
/// security rules. It records every request.
/// </summary>
/// <remarks>There is no Azure emulator; this answers as ARM documents those operations, and nothing more.</remarks>
internal sealed partial class ArmStandIn : IAsyncDisposable
{
    public const string SubscriptionId = "00000000-0000-4000-8000-000000000001";
    public const string TenantId = "00000000-0000-4000-8000-0000000000aa";
    private const string Audience = "https://management.core.windows.net/";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ArmRequest> _requests = new();
    private readonly ConcurrentDictionary<string, JsonObject> _rules = new(StringComparer.OrdinalIgnoreCase);

    private ArmStandIn(WebApplication app, string certificatePem)
    {
        _app = app;
        CertificatePem = certificatePem;
    }

    /// <summary>The stand-in's address, e.g. <c>https://127.0.0.1:41234</c> (no final slash, as az joins paths to it).</summary>
    public string Endpoint { get; private set; } = string.Empty;

    /// <summary>The self-signed certificate the server presents, as PEM, for the client's trust store.</summary>
    public string CertificatePem { get; }

    /// <summary>Every request received, in order.</summary>
    public IReadOnlyList<ArmRequest> Requests => [.. _requests];

    /// <summary>The NSG's security rules now, as ARM would return them.</summary>
    public IReadOnlyList<JsonObject> Rules => [.. _rules.Values.OrderBy(r => (int?)r["properties"]?["priority"] ?? 0)];

    /// <summary>Puts a rule into the NSG, as if created earlier by someone else.</summary>
    public void Seed(JsonObject rule) => _rules[(string)rule["name"]!] = rule;

    public static async Task<ArmStandIn> StartAsync()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        using X509Certificate2 created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        X509Certificate2 certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(1));
        var server = new ArmStandIn(builder.Build(), certificate.ExportCertificatePem());
        server._app.Run(server.HandleAsync);
        await server._app.StartAsync();
        string address = server._app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        server.Endpoint = address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        string body = await new StreamReader(context.Request.Body, Encoding.UTF8).ReadToEndAsync();
        string path = context.Request.Path.Value ?? "/";
        _requests.Enqueue(new ArmRequest(context.Request.Method, path, context.Request.QueryString.Value ?? string.Empty, body));
        (int status, JsonNode answer) = Answer(context.Request.Method, path, body);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(answer.ToJsonString());
    }

    private (int Status, JsonNode Answer) Answer(string method, string path, string body)
    {
        Match rule = SecurityRule().Match(path);
        return (method, path) switch
        {
            ("GET", "/metadata/endpoints") => (200, Metadata()),
            ("POST", "/msi/token") => (200, Token()),
            ("GET", "/subscriptions") => (200, new JsonObject { ["value"] = new JsonArray(Subscription()) }),
            ("GET", "/tenants") => (200, new JsonObject { ["value"] = new JsonArray(new JsonObject { ["id"] = $"/tenants/{TenantId}", ["tenantId"] = TenantId }) }),
            ("GET", _) when NetworkSecurityGroup().Match(path) is { Success: true } nsg => (200, Nsg(path, nsg.Groups["nsg"].Value)),
            ("GET", _) when rule.Success && !rule.Groups["rule"].Success => (200, new JsonObject { ["value"] = new JsonArray([.. Rules.Select(r => r.DeepClone())]) }),
            ("GET", _) when rule.Success => _rules.TryGetValue(rule.Groups["rule"].Value, out JsonObject? found) ? (200, found.DeepClone()) : NotFound(path),
            ("PUT", _) when rule.Success && rule.Groups["rule"].Success => (200, Put(path, rule.Groups["rule"].Value, body)),
            ("DELETE", _) when rule.Success && rule.Groups["rule"].Success =>
                _rules.TryRemove(rule.Groups["rule"].Value, out _) ? (200, new JsonObject()) : (204, new JsonObject()),
            _ => NotFound(path),
        };
    }

    private JsonObject Put(string path, string name, string body)
    {
        JsonObject rule = JsonNode.Parse(body)!.AsObject();
        rule["name"] = name;
        rule["id"] = path;
        rule["type"] = "Microsoft.Network/networkSecurityGroups/securityRules";
        rule["properties"]!["provisioningState"] = "Succeeded";
        _rules[name] = rule;
        return (JsonObject)rule.DeepClone();
    }

    private JsonObject Nsg(string path, string name) => new()
    {
        ["id"] = path,
        ["name"] = name,
        ["type"] = "Microsoft.Network/networkSecurityGroups",
        ["location"] = "eastus",
        ["properties"] = new JsonObject
        {
            ["provisioningState"] = "Succeeded",
            ["securityRules"] = new JsonArray([.. Rules.Select(r => r.DeepClone())]),
            ["defaultSecurityRules"] = new JsonArray(),
        },
    };

    private JsonObject Metadata() => new()
    {
        ["galleryEndpoint"] = Endpoint + "/",
        ["graphEndpoint"] = Endpoint + "/",
        ["portalEndpoint"] = Endpoint + "/",
        ["authentication"] = new JsonObject { ["loginEndpoint"] = Endpoint + "/", ["audiences"] = new JsonArray(Audience) },
    };

    private static JsonObject Subscription() => new()
    {
        ["id"] = $"/subscriptions/{SubscriptionId}",
        ["subscriptionId"] = SubscriptionId,
        ["displayName"] = "fwrules tests",
        ["state"] = "Enabled",
        ["tenantId"] = TenantId,
    };

    // A managed-identity token as the App Service endpoint returns it: az reads the tenant from the token's claims
    // (without checking the signature, which it cannot).
    private static JsonObject Token()
    {
        long expires = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        static string Part(object value) => Base64Url(JsonSerializer.SerializeToUtf8Bytes(value));
        string token = $"{Part(new { alg = "RS256", typ = "JWT" })}." +
            $"{Part(new { tid = TenantId, oid = "00000000-0000-4000-8000-0000000000bb", aud = Audience, exp = expires })}.c2lnbmF0dXJl";
        return new JsonObject
        {
            ["access_token"] = token,
            ["expires_on"] = expires.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["resource"] = Audience,
            ["token_type"] = "Bearer",
        };
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static (int, JsonNode) NotFound(string path) =>
        (404, new JsonObject { ["error"] = new JsonObject { ["code"] = "NotFound", ["message"] = $"The stand-in does not serve {path}." } });

    [GeneratedRegex("^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft.Network/networkSecurityGroups/(?<nsg>[^/]+)$", RegexOptions.IgnoreCase)]
    private static partial Regex NetworkSecurityGroup();

    [GeneratedRegex(
        "^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft.Network/networkSecurityGroups/[^/]+/securityRules(?:/(?<rule>[^/]+))?$",
        RegexOptions.IgnoreCase)]
    private static partial Regex SecurityRule();
}

/// <summary>One request the ARM stand-in received.</summary>
internal sealed record ArmRequest(string Method, string Path, string Query, string Body);
