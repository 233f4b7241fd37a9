using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Headers;
using Microsoft.Net.Http.Headers;

namespace FirewallRules.Server;

/// <summary>
/// Sends a <see cref="Representation"/> the way HTTP caches and appliances expect: validators on every
/// success, <c>304 Not Modified</c> for a conditional GET that matches, no body for <c>HEAD</c>, and the
/// gzip form to clients that accept it.
/// </summary>
internal static class RepresentationWriter
{
    /// <summary>Writes <paramref name="representation"/> as the response to <paramref name="context"/>'s request.</summary>
    public static Task WriteAsync(HttpContext context, Representation representation)
    {
        HttpResponse response = context.Response;
        response.Headers.XContentTypeOptions = "nosniff";
        if (representation.EntityTag is null)
        {
            response.Headers.CacheControl = "no-store";
            return WriteBodyAsync(context, representation.Status, representation.ContentType, representation.Body);
        }

        RequestHeaders request = context.Request.GetTypedHeaders();
        bool gzip = representation.Gzip is not null && AcceptsGzip(request);
        if (representation.Gzip is not null)
        {
            response.Headers.Vary = HeaderNames.AcceptEncoding;
        }

        response.Headers.ETag = representation.QuotedEntityTag(gzip);
        response.Headers.CacheControl = "no-cache";
        if (representation.LastModified is DateTimeOffset lastModified)
        {
            response.GetTypedHeaders().LastModified = lastModified;
        }

        if (IsNotModified(request, representation))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        if (gzip)
        {
            response.Headers.ContentEncoding = "gzip";
        }

        return WriteBodyAsync(context, representation.Status, representation.ContentType, gzip ? representation.Gzip! : representation.Body);
    }

    private static Task WriteBodyAsync(HttpContext context, int status, string contentType, byte[] body)
    {
        HttpResponse response = context.Response;
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    /// <summary>
    /// RFC 9110, 13.2.2: <c>If-None-Match</c> decides when present (any listed tag, or <c>*</c>); otherwise
    /// <c>If-Modified-Since</c>, compared at the second that HTTP dates carry.
    /// </summary>
    private static bool IsNotModified(RequestHeaders request, Representation representation)
    {
        IList<EntityTagHeaderValue> tags = request.IfNoneMatch;
        if (tags.Count > 0)
        {
            return tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || representation.Matches(tag.ToString()));
        }

        return request.IfModifiedSince is DateTimeOffset since && representation.LastModified is DateTimeOffset modified
            && modified.ToUnixTimeSeconds() <= since.ToUnixTimeSeconds();
    }

    /// <summary>Whether <c>Accept-Encoding</c> allows gzip: named (or <c>*</c>) with a quality above zero.</summary>
    private static bool AcceptsGzip(RequestHeaders request)
    {
        IList<StringWithQualityHeaderValue> encodings = request.AcceptEncoding;
        StringWithQualityHeaderValue? gzip = encodings.FirstOrDefault(e => e.Value.Equals("gzip", StringComparison.OrdinalIgnoreCase))
            ?? encodings.FirstOrDefault(e => e.Value.Equals("*", StringComparison.Ordinal));
        return gzip is not null && gzip.Quality is null or > 0;
    }
}
