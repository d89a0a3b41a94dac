using System.Buffers;
using System.Buffers.Text;

namespace SessionKit.Jwt;

/// <summary>
/// Stricter JSON rules than the token library's for the header and claims of a token that already passed its
/// signature check: member names unique (RFC 7519 §4 allows "last one wins", SessionKit refuses instead, so no two
/// parsers can disagree), names written without escapes, <c>sid</c> and <c>sub</c> JSON strings (the library reads a
/// numeric <c>sub</c> as a string), and <c>exp</c>, <c>nbf</c> and <c>iat</c> JSON numbers (RFC 7519 §2 NumericDate;
/// the library reads <c>"exp":"1796…"</c> as a date).
/// </summary>
internal static class StrictJsonMembers
{
    private const int MaxMembers = 32;
    private const int StackBufferBytes = 1024;

    /// <summary>Whether a base64url-encoded JSON object keeps the rules above.</summary>
    /// <param name="encoded">The segment, as in the compact serialization.</param>
    /// <param name="isClaims">Whether it is the claims set (then <c>sid</c> and <c>sub</c> must be strings).</param>
    public static bool Check(ReadOnlySpan<char> encoded, bool isClaims)
    {
        var maxBytes = Base64Url.GetMaxDecodedLength(encoded.Length);
        byte[]? rented = null;
        // Sized to the segment, not to the limit: stack buffers are zeroed, and this runs on every request.
        var buffer = maxBytes <= StackBufferBytes ? stackalloc byte[maxBytes] : (rented = ArrayPool<byte>.Shared.Rent(maxBytes));
        try
        {
            return Base64Url.DecodeFromChars(encoded, buffer, out _, out var written) == OperationStatus.Done
                   && CheckObject(buffer[..written], isClaims);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    // A small scanner rather than Utf8JsonReader: it runs on every request and the JSON has already been parsed
    // (and found well-formed) by the token library; anything unexpected makes it answer false (fail closed).
    private static bool CheckObject(ReadOnlySpan<byte> json, bool isClaims)
    {
        Span<(int Start, int Length)> names = stackalloc (int, int)[MaxMembers];
        var count = 0;
        var i = SkipWhitespace(json, 0);
        if (i >= json.Length || json[i] != (byte)'{')
        {
            return false;
        }

        i = SkipWhitespace(json, i + 1);
        if (i < json.Length && json[i] == (byte)'}')
        {
            return SkipWhitespace(json, i + 1) == json.Length;
        }

        while (i < json.Length && json[i] == (byte)'"' && count < MaxMembers)
        {
            var nameStart = i + 1;
            var nameLength = json[nameStart..].IndexOfAny((byte)'"', (byte)'\\');
            if (nameLength < 0 || json[nameStart + nameLength] != (byte)'"')
            {
                return false; // unterminated, or an escaped name (one name, two spellings)
            }

            var name = json.Slice(nameStart, nameLength);
            for (var n = 0; n < count; n++)
            {
                if (json.Slice(names[n].Start, names[n].Length).SequenceEqual(name))
                {
                    return false;
                }
            }

            names[count++] = (nameStart, nameLength);
            i = SkipWhitespace(json, nameStart + nameLength + 1);
            if (i >= json.Length || json[i] != (byte)':')
            {
                return false;
            }

            i = SkipWhitespace(json, i + 1);
            if (i >= json.Length || (isClaims && !HasExpectedType(name, json[i])))
            {
                return false;
            }

            i = SkipWhitespace(json, SkipValue(json, i));
            if (i < 0 || i >= json.Length)
            {
                return false;
            }

            if (json[i] == (byte)'}')
            {
                return SkipWhitespace(json, i + 1) == json.Length;
            }

            if (json[i] != (byte)',')
            {
                return false;
            }

            i = SkipWhitespace(json, i + 1);
        }

        return false;
    }

    /// <summary>Whether a claim's value, starting with <paramref name="first"/>, has the JSON type its name requires.</summary>
    private static bool HasExpectedType(ReadOnlySpan<byte> name, byte first)
    {
        if (name.SequenceEqual("sid"u8) || name.SequenceEqual("sub"u8))
        {
            return first == (byte)'"';
        }

        if (name.SequenceEqual("exp"u8) || name.SequenceEqual("nbf"u8) || name.SequenceEqual("iat"u8))
        {
            return first == (byte)'-' || (first >= (byte)'0' && first <= (byte)'9');
        }

        return true;
    }

    /// <summary>The index just after the value starting at <paramref name="i"/>, or -1.</summary>
    private static int SkipValue(ReadOnlySpan<byte> json, int i)
    {
        var depth = 0;
        while (i < json.Length)
        {
            switch (json[i])
            {
                case (byte)'"':
                    i = SkipString(json, i);
                    if (i < 0 || depth == 0)
                    {
                        return i;
                    }

                    continue;
                case (byte)'{' or (byte)'[':
                    depth++;
                    break;
                case (byte)'}' or (byte)']':
                    if (depth == 0)
                    {
                        return i; // the end of the enclosing object: a scalar value ended here
                    }

                    if (--depth == 0)
                    {
                        return i + 1;
                    }

                    break;
                case (byte)',' when depth == 0:
                    return i;
            }

            i++;
        }

        return depth == 0 ? i : -1;
    }

    /// <summary>The index just after the string whose opening quote is at <paramref name="i"/>, or -1.</summary>
    private static int SkipString(ReadOnlySpan<byte> json, int i)
    {
        i++;
        while (i < json.Length)
        {
            var next = json[i..].IndexOfAny((byte)'"', (byte)'\\');
            if (next < 0)
            {
                return -1;
            }

            i += next;
            if (json[i] == (byte)'"')
            {
                return i + 1;
            }

            i += 2; // an escape: skip the backslash and the character it escapes
        }

        return -1;
    }

    private static int SkipWhitespace(ReadOnlySpan<byte> json, int i)
    {
        if (i < 0)
        {
            return i;
        }

        while (i < json.Length && json[i] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
        {
            i++;
        }

        return i;
    }
}
