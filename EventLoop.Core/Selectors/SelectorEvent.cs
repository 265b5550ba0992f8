namespace EventLoop;

/// <summary>One ready socket reported by <see cref="ISelector.Select"/>.</summary>
/// <param name="State">The object given when the socket was registered.</param>
/// <param name="Ready">What the socket is ready for.</param>
public readonly record struct SelectorEvent(object State, SelectorInterest Ready);
