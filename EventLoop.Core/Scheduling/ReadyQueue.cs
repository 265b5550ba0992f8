namespace EventLoop;

/// <summary>
/// The loop's FIFO of callbacks to run: a growable ring buffer of structs, so queueing and
/// running a callback allocates nothing once the buffer has grown to the working size.
/// Loop thread only.
/// </summary>
internal sealed class ReadyQueue
{
    private ReadyItem[] _items = new ReadyItem[64];
    private int _head;

    public int Count { get; private set; }

    public void Enqueue(in ReadyItem item)
    {
        if (Count == _items.Length) Grow();
        _items[(_head + Count) & (_items.Length - 1)] = item;
        Count++;
    }

    public ReadyItem Dequeue()
    {
        var item = _items[_head];
        _items[_head] = default; // let the GC have what the callback referenced
        _head = (_head + 1) & (_items.Length - 1);
        Count--;
        return item;
    }

    public void Clear()
    {
        Array.Clear(_items);
        _head = 0;
        Count = 0;
    }

    private void Grow()
    {
        var bigger = new ReadyItem[_items.Length * 2];
        for (int i = 0; i < Count; i++) bigger[i] = _items[(_head + i) & (_items.Length - 1)];
        _items = bigger;
        _head = 0;
    }
}
