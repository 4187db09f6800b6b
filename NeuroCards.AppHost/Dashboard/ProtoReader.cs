namespace NeuroCards.AppHost.Dashboard;

/// <summary>
/// Just enough of the protobuf wire format to read OTLP exports: varints, fixed64 and
/// length-delimited fields (the OpenTelemetry.Proto package is not available here).
/// </summary>
public ref struct ProtoReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _pos;

    public bool Next(out int field, out int wireType)
    {
        if (_pos >= _data.Length)
        {
            field = wireType = 0;
            return false;
        }
        var tag = (long)Varint();
        field = (int)(tag >> 3);
        wireType = (int)(tag & 7);
        return true;
    }

    public ulong Varint()
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = _data[_pos++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return result;
        }
        throw new FormatException("bad varint");
    }

    public ulong Fixed64()
    {
        var value = BitConverter.ToUInt64(_data.Slice(_pos, 8));
        _pos += 8;
        return value;
    }

    public ReadOnlySpan<byte> Bytes()
    {
        var length = (int)Varint();
        var bytes = _data.Slice(_pos, length);
        _pos += length;
        return bytes;
    }

    public string String() => System.Text.Encoding.UTF8.GetString(Bytes());

    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case 0: Varint(); break;
            case 1: _pos += 8; break;
            case 2: Bytes(); break;
            case 5: _pos += 4; break;
            default: throw new FormatException($"wire type {wireType}");
        }
    }
}
