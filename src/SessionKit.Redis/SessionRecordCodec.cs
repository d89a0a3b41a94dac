using System.Buffers;
using System.Globalization;
using System.Text;

namespace SessionKit.Redis;

/// <summary>
/// The packed string a session is stored as: one Redis string per session (the smallest Redis value, one read), with a
/// short ASCII header the Lua scripts read and rewrite, then a binary body whose parts they copy or swap as a whole.
/// </summary>
/// <remarks>
/// <para>Layout: <c>S2,{version},{created},{lastSeen-created},{idle-lastSeen},{absolute-created},{claimsVersion},{fixedLength},{subjectLength},{claimsLength}\n{fixed}{claims}{data}</c>.
/// <c>S2</c> is the format tag: a value with another tag (an older or newer release, a hand-edited key) decodes as "not
/// found". Times are Unix milliseconds; all but the creation time are deltas (7 or 8 digits instead of 13).
/// <c>fixed</c> is the subject's UTF-8 bytes, then the scheme, client IP and user agent; <c>claims</c> holds the claims
/// and permissions (the claims-update script swaps exactly that part); <c>data</c> holds the session's key/value data.
/// Strings are length-prefixed (a 7-bit varint; 0 marks <see langword="null"/>, otherwise length + 1), byte values too,
/// so any content round-trips.</para>
/// <para>A hash would add field names and per-entry headers and still need the claim, permission and data lists packed
/// into fields; one string is one allocation and keeps a typical session under 300 bytes (see the README).</para>
/// </remarks>
internal static class SessionRecordCodec
{
    /// <summary>The format tag at the start of every value this release writes.</summary>
    public const string FormatTag = "S2";

    private const int HeaderFields = 9;
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Encodes the whole record, with <paramref name="version"/> in the header.</summary>
    public static byte[] Encode(SessionRecord record, long version)
    {
        var fixedPart = EncodeFixed(record, out var subjectLength);
        var claims = EncodeClaims(record.Claims, record.Permissions);
        var data = EncodeData(record.Data);
        var created = ToMs(record.CreatedAt);
        var lastSeen = ToMs(record.LastSeenAt);
        var header = string.Create(CultureInfo.InvariantCulture,
            $"{FormatTag},{version},{created},{lastSeen - created},{ToMs(record.IdleExpiresAt) - lastSeen},{ToMs(record.AbsoluteExpiresAt) - created},{record.ClaimsVersion},{fixedPart.Length},{subjectLength},{claims.Length}\n");
        var result = new byte[header.Length + fixedPart.Length + claims.Length + data.Length];
        Encoding.ASCII.GetBytes(header, result);
        fixedPart.CopyTo(result, header.Length);
        claims.CopyTo(result, header.Length + fixedPart.Length);
        data.CopyTo(result, header.Length + fixedPart.Length + claims.Length);
        return result;
    }

    /// <summary>The subject's UTF-8 bytes as the scripts compare them with the stored subject.</summary>
    public static byte[] EncodeSubject(string subject) => Utf8.GetBytes(subject);

    /// <summary>The scheme as the update script compares it with the stored one (the same length-prefixed form as in the record).</summary>
    public static byte[] EncodeScheme(string? scheme)
    {
        var writer = new ArrayBufferWriter<byte>(16);
        WriteString(writer, scheme);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Encodes the claims part alone (the claims-update script swaps it in).</summary>
    public static byte[] EncodeClaims(IReadOnlyList<SessionClaim> claims, IReadOnlyList<string> permissions)
    {
        var writer = new ArrayBufferWriter<byte>(64);
        WriteVarint(writer, (ulong)claims.Count);
        foreach (var claim in claims)
        {
            WriteString(writer, claim.Type);
            WriteString(writer, claim.Value);
        }

        WriteVarint(writer, (ulong)permissions.Count);
        foreach (var permission in permissions)
        {
            WriteString(writer, permission);
        }

        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Decodes the claims part stored for a subject by the claims-update script.</summary>
    public static (SessionClaim[] Claims, string[] Permissions) DecodeClaims(ReadOnlySpan<byte> value)
    {
        var position = 0;
        var result = ReadClaims(value, ref position);
        return position == value.Length ? result : throw new FormatException("Trailing bytes after the claims.");
    }

    /// <summary>Decodes a stored value; <see langword="null"/> when it is not a record of this format.</summary>
    public static SessionRecord? Decode(SessionKey key, ReadOnlySpan<byte> value)
    {
        try
        {
            return DecodeCore(key, value);
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException or OverflowException or IndexOutOfRangeException or DecoderFallbackException)
        {
            return null;
        }
    }

    public static long ToMs(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    private static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static SessionRecord DecodeCore(SessionKey key, ReadOnlySpan<byte> value)
    {
        var newline = value.IndexOf((byte)'\n');
        if (newline < 0 || !value.StartsWith("S2,"u8))
        {
            throw new FormatException("Not a record of this format.");
        }

        Span<long> numbers = stackalloc long[HeaderFields];
        var header = value[(FormatTag.Length + 1)..newline];
        for (var i = 0; i < numbers.Length; i++)
        {
            var comma = header.IndexOf((byte)',');
            if ((comma < 0) != (i == numbers.Length - 1))
            {
                throw new FormatException("Wrong number of header fields.");
            }

            var field = comma < 0 ? header : header[..comma];
            numbers[i] = long.Parse(Encoding.ASCII.GetString(field), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            header = comma < 0 ? [] : header[(comma + 1)..];
        }

        var (version, created, lastSeen, idle, absolute, claimsVersion) =
            (numbers[0], numbers[1], numbers[1] + numbers[2], numbers[1] + numbers[2] + numbers[3], numbers[1] + numbers[4], numbers[5]);
        var (fixedLength, subjectLength, claimsLength) = (checked((int)numbers[6]), checked((int)numbers[7]), checked((int)numbers[8]));
        var body = value[(newline + 1)..];
        var subject = Utf8.GetString(body[..subjectLength]);
        var position = subjectLength;
        var scheme = ReadString(body, ref position);
        var ip = ReadString(body, ref position);
        var agent = ReadString(body, ref position);
        if (position != fixedLength)
        {
            throw new FormatException("Fixed part length mismatch.");
        }

        var (claims, permissions) = ReadClaims(body, ref position);
        if (position != fixedLength + claimsLength)
        {
            throw new FormatException("Claims part length mismatch.");
        }

        var data = ReadData(body, ref position);
        if (position != body.Length)
        {
            throw new FormatException("Trailing bytes after the data.");
        }

        return new SessionRecord
        {
            Key = key,
            Subject = subject,
            Scheme = scheme,
            CreatedAt = FromMs(created),
            LastSeenAt = FromMs(lastSeen),
            IdleExpiresAt = FromMs(idle),
            AbsoluteExpiresAt = FromMs(absolute),
            Claims = claims,
            Permissions = permissions,
            ClaimsVersion = claimsVersion,
            Client = ip is null && agent is null ? SessionClientInfo.None : new SessionClientInfo(ip, agent),
            Data = data,
            Version = version,
        };
    }

    private static (SessionClaim[] Claims, string[] Permissions) ReadClaims(ReadOnlySpan<byte> body, ref int position)
    {
        var claims = new SessionClaim[Count(body, ref position)];
        for (var i = 0; i < claims.Length; i++)
        {
            claims[i] = new SessionClaim(ReadString(body, ref position) ?? "", ReadString(body, ref position) ?? "");
        }

        var permissions = new string[Count(body, ref position)];
        for (var i = 0; i < permissions.Length; i++)
        {
            permissions[i] = ReadString(body, ref position) ?? "";
        }

        return (claims, permissions);
    }

    private static byte[] EncodeFixed(SessionRecord record, out int subjectLength)
    {
        var writer = new ArrayBufferWriter<byte>(64);
        subjectLength = checked((int)Utf8.GetBytes(record.Subject, writer));
        WriteString(writer, record.Scheme);
        WriteString(writer, record.Client.IpAddress);
        WriteString(writer, record.Client.UserAgent);
        return writer.WrittenSpan.ToArray();
    }

    private static byte[] EncodeData(IReadOnlyDictionary<string, byte[]> data)
    {
        if (data.Count == 0)
        {
            return [0];
        }

        var writer = new ArrayBufferWriter<byte>(64);
        WriteVarint(writer, (ulong)data.Count);
        foreach (var (key, value) in data.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            WriteString(writer, key);
            WriteVarint(writer, (ulong)value.Length);
            writer.Write(value);
        }

        return writer.WrittenSpan.ToArray();
    }

    private static IReadOnlyDictionary<string, byte[]> ReadData(ReadOnlySpan<byte> body, ref int position)
    {
        var count = Count(body, ref position);
        if (count == 0)
        {
            return SessionDataSize.Empty;
        }

        var data = new Dictionary<string, byte[]>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var key = ReadString(body, ref position) ?? throw new FormatException("A data key is null.");
            var length = checked((int)ReadVarint(body, ref position));
            data[key] = body.Slice(position, length).ToArray();
            position += length;
        }

        return data;
    }

    // A count can never exceed the bytes left (every element takes at least one byte): a corrupt count fails fast
    // instead of allocating a huge array.
    private static int Count(ReadOnlySpan<byte> body, ref int position)
    {
        var count = ReadVarint(body, ref position);
        return count <= (ulong)(body.Length - position) ? (int)count : throw new FormatException("Count larger than the value.");
    }

    private static void WriteString(ArrayBufferWriter<byte> writer, string? value)
    {
        if (value is null)
        {
            WriteVarint(writer, 0);
            return;
        }

        WriteVarint(writer, (ulong)Utf8.GetByteCount(value) + 1);
        Utf8.GetBytes(value, writer);
    }

    private static string? ReadString(ReadOnlySpan<byte> body, ref int position)
    {
        var length = ReadVarint(body, ref position);
        if (length == 0)
        {
            return null;
        }

        var bytes = body.Slice(position, checked((int)length - 1));
        position += bytes.Length;
        return Utf8.GetString(bytes);
    }

    private static void WriteVarint(ArrayBufferWriter<byte> writer, ulong value)
    {
        var span = writer.GetSpan(10);
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[i++] = (byte)value;
        writer.Advance(i);
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> body, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = body[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new FormatException("Varint too long.");
    }
}
