using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace SessionKit.Mongo.Wire.Bson;

/// <summary>
/// Encodes <see cref="BsonDocument"/>s to BSON bytes (little-endian, length-prefixed documents, canonical forms only).
/// Also used by the OP_MSG encoder, which writes its header and section bytes through <see cref="WriteRaw"/>.
/// </summary>
internal sealed class BsonWriter
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private byte[] _buffer;

    public BsonWriter(int initialCapacity = 256) => _buffer = new byte[Math.Max(16, initialCapacity)];

    public int Position { get; private set; }

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, Position);

    public byte[] ToArray() => WrittenSpan.ToArray();

    public static byte[] Encode(BsonDocument document)
    {
        var writer = new BsonWriter();
        writer.WriteDocument(document);
        return writer.ToArray();
    }

    public void WriteDocument(BsonDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var start = ReserveLength();
        foreach (var (name, value) in document.Elements)
        {
            WriteElement(name, value);
        }

        WriteByte(0);
        PatchLength(start);
    }

    public void WriteByte(byte value)
    {
        Ensure(1);
        _buffer[Position++] = value;
    }

    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(Position));
        Position += bytes.Length;
    }

    public void WriteInt32(int value)
    {
        Ensure(4);
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(Position), value);
        Position += 4;
    }

    public void WriteInt32At(int position, int value) => BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(position), value);

    public void WriteUInt32(uint value)
    {
        Ensure(4);
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(Position), value);
        Position += 4;
    }

    /// <summary>Writes a placeholder int32 and returns its position, for lengths known only afterwards.</summary>
    public int ReserveLength()
    {
        var start = Position;
        WriteInt32(0);
        return start;
    }

    /// <summary>Fills the placeholder at <paramref name="start"/> with the byte count from there to the current position.</summary>
    public void PatchLength(int start) => WriteInt32At(start, Position - start);

    public void WriteCString(string value)
    {
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new BsonException($"A BSON key or cstring cannot contain a NUL character: \"{value.Replace("\0", "\\0", StringComparison.Ordinal)}\".");
        }

        WriteUtf8(value);
        WriteByte(0);
    }

    private void WriteElement(string name, object? value)
    {
        var typePosition = Position;
        WriteByte(0);
        WriteCString(name);
        // Into a local first: WriteValue may grow (replace) the buffer, and the assignment would otherwise target the old array.
        var type = WriteValue(value);
        _buffer[typePosition] = (byte)type;
    }

    private BsonType WriteValue(object? value)
    {
        switch (value)
        {
            case null:
                return BsonType.Null;
            case double d:
                Ensure(8);
                BinaryPrimitives.WriteDoubleLittleEndian(_buffer.AsSpan(Position), d);
                Position += 8;
                return BsonType.Double;
            case string s:
                var lengthPosition = ReserveLength();
                WriteUtf8(s);
                WriteByte(0);
                WriteInt32At(lengthPosition, Position - lengthPosition - 4);
                return BsonType.String;
            case BsonDocument document:
                WriteDocument(document);
                return BsonType.Document;
            case BsonArray array:
                WriteArray(array);
                return BsonType.Array;
            case BsonBinary binary:
                WriteBinary(binary);
                return BsonType.Binary;
            case BsonObjectId objectId:
                if (objectId.Bytes.Length != 12)
                {
                    throw new BsonException("An ObjectId has exactly 12 bytes.");
                }

                WriteRaw(objectId.Bytes.Span);
                return BsonType.ObjectId;
            case bool b:
                WriteByte(b ? (byte)1 : (byte)0);
                return BsonType.Boolean;
            case BsonDateTime dateTime:
                WriteInt64(dateTime.Milliseconds);
                return BsonType.DateTime;
            case DateTimeOffset dateTimeOffset:
                WriteInt64(dateTimeOffset.ToUnixTimeMilliseconds());
                return BsonType.DateTime;
            case int i:
                WriteInt32(i);
                return BsonType.Int32;
            case BsonTimestamp timestamp:
                WriteUInt32(timestamp.Increment);
                WriteUInt32(timestamp.Seconds);
                return BsonType.Timestamp;
            case long l:
                WriteInt64(l);
                return BsonType.Int64;
            default:
                throw new ArgumentException($"The internal BSON writer does not encode values of type {value.GetType().Name}.", nameof(value));
        }
    }

    private void WriteArray(BsonArray array)
    {
        var start = ReserveLength();
        for (var i = 0; i < array.Count; i++)
        {
            WriteElement(i.ToString(CultureInfo.InvariantCulture), array[i]);
        }

        WriteByte(0);
        PatchLength(start);
    }

    private void WriteBinary(BsonBinary binary)
    {
        var oldBinary = binary.Subtype == BsonBinary.OldBinarySubtype;
        WriteInt32(binary.Data.Length + (oldBinary ? 4 : 0));
        WriteByte(binary.Subtype);
        if (oldBinary)
        {
            // The deprecated subtype 2 repeats the length inside the payload.
            WriteInt32(binary.Data.Length);
        }

        WriteRaw(binary.Data.Span);
    }

    private void WriteInt64(long value)
    {
        Ensure(8);
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(Position), value);
        Position += 8;
    }

    private void WriteUtf8(string value)
    {
        int byteCount;
        try
        {
            byteCount = StrictUtf8.GetByteCount(value);
        }
        catch (EncoderFallbackException e)
        {
            throw new BsonException("A string is not valid UTF-16 (lone surrogate), so it has no UTF-8 form.", e);
        }

        Ensure(byteCount);
        Position += StrictUtf8.GetBytes(value, _buffer.AsSpan(Position));
    }

    private void Ensure(int count)
    {
        if (Position + count <= _buffer.Length)
        {
            return;
        }

        var size = Math.Max(_buffer.Length * 2, Position + count);
        Array.Resize(ref _buffer, size);
    }
}
