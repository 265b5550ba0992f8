namespace EventLoop.Samples.Http;

/// <summary>The request methods the server tells apart; any other valid token is <see cref="Other"/>.</summary>
internal enum RequestMethod
{
    /// <summary>A method token the routes do not know (still a valid request: it gets 405 or 404).</summary>
    Other,

    /// <summary>GET.</summary>
    Get,

    /// <summary>HEAD: GET's headers, no body.</summary>
    Head,

    /// <summary>POST.</summary>
    Post,

    /// <summary>PUT.</summary>
    Put,

    /// <summary>DELETE.</summary>
    Delete,

    /// <summary>OPTIONS.</summary>
    Options,
}
