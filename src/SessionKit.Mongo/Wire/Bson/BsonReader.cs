using System.Buffers.Binary;
using System.Text;

namespace SessionKit.Mongo.Wire.Bson;

/// <summary>
/// Decodes BSON strictly: every length must agree with the bytes, strings must be valid UTF-8 and NUL-terminated,
/// booleans 0 or 1, and only the types in <see cref="BsonType"/> are accepted. Any violation is a
/// <see cref="BsonException"/>; bytes from the network are never trusted further than their bounds.
/// </summary>
internal static class BsonReader
{
    /// <summary>Deeper nesting than this is refused, so hostile input cannot exhaust the stack.</summary>
    public const int MaxDepth = 100;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Decodes one document that must span <paramref name="bytes"/> exactly.</summary>
    public static BsonDocument Decode(ReadOnlySpan<byte> bytes)
    {
        var position = 0;
        var document = ReadDocument(bytes, ref position, 0);
        if (position != bytes.Length)
        {
            throw new BsonException($"The document ends at byte {position} but {bytes.Length} bytes were given.");
        }

        return document;
    }

    /// <summary>Decodes one document starting at <paramref name="position"/> and advances past it.</summary>
    public static BsonDocument ReadDocument(ReadOnlySpan<byte> bytes, ref int position, int depth)
    {
        var end = ReadLength(bytes, position, minimum: 5, "document");
        position += 4;
        var document = new BsonDocument();
        ReadElements(bytes, ref position, end, depth, (name, value) => document.Add(name, value));
        return document;
    }

    private static BsonArray ReadArray(ReadOnlySpan<byte> bytes, ref int position, int depth)
    {
        var end = ReadLength(bytes, position, minimum: 5, "array");
        position += 4;
        var array = new BsonArray();

        // Array keys are meant to be "0", "1", …; like other drivers, the values are taken in order and the keys ignored.
        ReadElements(bytes, ref position, end, depth, (_, value) => array.Add(value));
        return array;
    }

    private static void ReadElements(ReadOnlySpan<byte> bytes, ref int position, int end, int depth, Action<string, object?> add)
    {
        if (depth > MaxDepth)
        {
            throw new BsonException($"Documents nested deeper than {MaxDepth} levels are refused.");
        }

        while (true)
        {
            if (position >= end)
            {
                throw new BsonException("A document ends without its terminating 0x00 byte.");
            }

            var type = bytes[position++];
            if (type == 0)
            {
                if (position != end)
                {
                    throw new BsonException("A document's terminating 0x00 byte is not at the end its length announces.");
                }

                return;
            }

            var name = ReadCString(bytes, ref position, end - 1);
            add(name, ReadValue(bytes, ref position, end - 1, (BsonType)type, depth));
        }
    }

    private static object? ReadValue(ReadOnlySpan<byte> bytes, ref int position, int limit, BsonType type, int depth)
    {
        switch (type)
        {
            case BsonType.Double:
                return BinaryPrimitives.ReadDoubleLittleEndian(Take(bytes, ref position, limit, 8, "double"));
            case BsonType.String:
                return ReadString(bytes, ref position, limit);
            case BsonType.Document:
                CheckEmbeddedLength(bytes, position, limit, "embedded document");
                return ReadDocument(bytes, ref position, depth + 1);
            case BsonType.Array:
                CheckEmbeddedLength(bytes, position, limit, "array");
                return ReadArray(bytes, ref position, depth + 1);
            case BsonType.Binary:
                return ReadBinary(bytes, ref position, limit);
            case BsonType.ObjectId:
                return new BsonObjectId(Take(bytes, ref position, limit, 12, "ObjectId").ToArray());
            case BsonType.Boolean:
                return Take(bytes, ref position, limit, 1, "boolean")[0] switch
                {
                    0 => false,
                    1 => true,
                    var b => throw new BsonException($"A boolean must be 0x00 or 0x01, not 0x{b:x2}."),
                };
            case BsonType.DateTime:
                return new BsonDateTime(BinaryPrimitives.ReadInt64LittleEndian(Take(bytes, ref position, limit, 8, "datetime")));
            case BsonType.Null:
                return null;
            case BsonType.Int32:
                return BinaryPrimitives.ReadInt32LittleEndian(Take(bytes, ref position, limit, 4, "int32"));
            case BsonType.Timestamp:
                var ts = Take(bytes, ref position, limit, 8, "timestamp");
                return new BsonTimestamp(BinaryPrimitives.ReadUInt32LittleEndian(ts[4..]), BinaryPrimitives.ReadUInt32LittleEndian(ts));
            case BsonType.Int64:
                return BinaryPrimitives.ReadInt64LittleEndian(Take(bytes, ref position, limit, 8, "int64"));
            default:
                throw new BsonException($"BSON type 0x{(byte)type:x2} is not supported by this client (or is not a BSON type).");
        }
    }

    private static string ReadString(ReadOnlySpan<byte> bytes, ref int position, int limit)
    {
        var length = BinaryPrimitives.ReadInt32LittleEndian(Take(bytes, ref position, limit, 4, "string length"));
        if (length < 1)
        {
            throw new BsonException($"A string length must be at least 1 (its NUL terminator), not {length}.");
        }

        var content = Take(bytes, ref position, limit, length, "string");
        if (content[^1] != 0)
        {
            throw new BsonException("A string is not NUL-terminated where its length says.");
        }

        return DecodeUtf8(content[..^1]);
    }

    private static BsonBinary ReadBinary(ReadOnlySpan<byte> bytes, ref int position, int limit)
    {
        var length = BinaryPrimitives.ReadInt32LittleEndian(Take(bytes, ref position, limit, 4, "binary length"));
        if (length < 0)
        {
            throw new BsonException($"A binary length cannot be negative ({length}).");
        }

        var subtype = Take(bytes, ref position, limit, 1, "binary subtype")[0];
        var data = Take(bytes, ref position, limit, length, "binary");
        if (subtype == BsonBinary.OldBinarySubtype)
        {
            if (data.Length < 4 || BinaryPrimitives.ReadInt32LittleEndian(data) != data.Length - 4)
            {
                throw new BsonException("A subtype-2 binary's inner length does not match its outer length minus 4.");
            }

            data = data[4..];
        }

        return new BsonBinary(subtype, data.ToArray());
    }

    private static string ReadCString(ReadOnlySpan<byte> bytes, ref int position, int limit)
    {
        if (position >= limit)
        {
            throw new BsonException("A document's last byte is not the 0x00 terminator.");
        }

        var terminator = bytes[position..limit].IndexOf((byte)0);
        if (terminator < 0)
        {
            throw new BsonException("A key runs past the end of its document (no NUL terminator).");
        }

        var name = DecodeUtf8(bytes.Slice(position, terminator));
        position += terminator + 1;
        return name;
    }

    private static int ReadLength(ReadOnlySpan<byte> bytes, int position, int minimum, string what)
    {
        if (bytes.Length - position < 4)
        {
            throw new BsonException($"The {what} is truncated before its length.");
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(bytes[position..]);
        if (length < minimum)
        {
            throw new BsonException($"The {what} length {length} is below the minimum of {minimum}.");
        }

        if (length > bytes.Length - position)
        {
            throw new BsonException($"The {what} announces {length} bytes but only {bytes.Length - position} remain.");
        }

        return position + length;
    }

    private static void CheckEmbeddedLength(ReadOnlySpan<byte> bytes, int position, int limit, string what)
    {
        // An embedded document must end before its parent's terminator, not merely before the end of the buffer.
        var end = ReadLength(bytes, position, minimum: 5, what);
        if (end > limit)
        {
            throw new BsonException($"The {what} runs past the end of its parent document.");
        }
    }

    private static ReadOnlySpan<byte> Take(ReadOnlySpan<byte> bytes, ref int position, int limit, int count, string what)
    {
        if (count < 0 || count > limit - position)
        {
            throw new BsonException($"The {what} runs past the end of its document.");
        }

        var slice = bytes.Slice(position, count);
        position += count;
        return slice;
    }

    private static string DecodeUtf8(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new BsonException("A string or key is not valid UTF-8.", e);
        }
    }
}
