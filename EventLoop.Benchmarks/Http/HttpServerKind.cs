namespace EventLoop.Benchmarks.Http;

/// <summary>The HTTP servers compared.</summary>
internal enum HttpServerKind
{
    /// <summary>The <c>http</c> sample: HTTP/1.1 on the loop, streams style.</summary>
    Loop,

    /// <summary>ASP.NET Core's Kestrel with one minimal-API route, logging off: the .NET anchor.</summary>
    Kestrel,
}

internal static class HttpServerKinds
{
    public static string Name(this HttpServerKind kind) => kind.ToString().ToLowerInvariant();

    public static string Title(this HttpServerKind kind) => kind == HttpServerKind.Loop
        ? "loop `http` sample"
        : "Kestrel minimal API (`MapGet(\"/\", () => \"Hello, World!\")`)";

    public static HttpServerKind Parse(string name) =>
        Enum.TryParse<HttpServerKind>(name.Trim(), ignoreCase: true, out var kind) && Enum.IsDefined(kind)
            ? kind
            : throw new ArgumentException($"Unknown server '{name}': use loop or kestrel.");
}
