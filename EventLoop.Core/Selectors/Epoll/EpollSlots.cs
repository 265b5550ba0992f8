namespace EventLoop;

/// <summary>
/// Maps the 64-bit data the kernel hands back to a registration: the low 32 bits are a slot in
/// an array, the high 32 bits the slot's generation when it was handed out. A slot freed and
/// reused bumps its generation, so an event that names a registration removed since (in the
/// same wait, or a descriptor that lingers after close) is recognised as stale and dropped.
/// </summary>
internal sealed class EpollSlots
{
    private EpollRegistration?[] _items = new EpollRegistration?[16];
    private uint[] _generations = new uint[16];
    private readonly Stack<int> _free = new();
    private int _used;

    /// <summary>Slots handed out so far (live or free); a sweep walks 0 to Capacity.</summary>
    public int Capacity => _used;

    public ulong Add(EpollRegistration registration)
    {
        int slot = _free.Count > 0 ? _free.Pop() : NewSlot();
        _items[slot] = registration;
        return ((ulong)_generations[slot] << 32) | (uint)slot;
    }

    public void Remove(ulong token)
    {
        int slot = (int)(uint)token;
        if (_items[slot] is null || _generations[slot] != (uint)(token >> 32)) return;
        _items[slot] = null;
        _generations[slot]++;
        _free.Push(slot);
    }

    public EpollRegistration? Find(ulong token)
    {
        uint slot = (uint)token;
        if (slot >= (uint)_used || _generations[slot] != (uint)(token >> 32)) return null;
        return _items[slot];
    }

    public EpollRegistration? At(int slot) => _items[slot];

    private int NewSlot()
    {
        if (_used == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
            Array.Resize(ref _generations, _generations.Length * 2);
        }
        return _used++;
    }
}
