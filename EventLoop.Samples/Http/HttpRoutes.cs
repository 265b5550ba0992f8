namespace EventLoop.Samples.Http;

/// <summary>The resources the sample serves.</summary>
internal enum Resource
{
    /// <summary>No such path: 404.</summary>
    None,

    /// <summary>GET / : "Hello, World!".</summary>
    Hello,

    /// <summary>GET /json : {"message":"Hello, World!"}.</summary>
    Json,

    /// <summary>POST /echo : the request body back.</summary>
    Echo,

    /// <summary>GET /stats : the loop's and the server's figures as JSON.</summary>
    Stats,
}

/// <summary>A request's path and method matched against the routes.</summary>
/// <param name="Resource">The resource the path names.</param>
/// <param name="MethodAllowed">False: the resource exists but not for this method (405, with <see cref="HttpRoutes.Allow"/>).</param>
internal readonly record struct RouteMatch(Resource Resource, bool MethodAllowed);

/// <summary>The routing table: which path is which resource, and which methods each takes.</summary>
internal static class HttpRoutes
{
    public static RouteMatch Match(RequestMethod method, ReadOnlySpan<byte> path)
    {
        var resource = path switch
        {
            _ when path.IsEmpty || path.SequenceEqual("/"u8) => Resource.Hello, // "http://host" names the root
            _ when path.SequenceEqual("/json"u8) => Resource.Json,
            _ when path.SequenceEqual("/echo"u8) => Resource.Echo,
            _ when path.SequenceEqual("/stats"u8) => Resource.Stats,
            _ => Resource.None,
        };
        bool allowed = resource == Resource.None || (resource == Resource.Echo
            ? method == RequestMethod.Post
            : method is RequestMethod.Get or RequestMethod.Head);
        return new RouteMatch(resource, allowed);
    }

    /// <summary>The Allow header's value for a 405.</summary>
    public static ReadOnlySpan<byte> Allow(Resource resource) => resource == Resource.Echo ? "POST"u8 : "GET, HEAD"u8;
}
