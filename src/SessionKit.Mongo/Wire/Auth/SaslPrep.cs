using System.Globalization;
using System.Text;

namespace SessionKit.Mongo.Wire.Auth;

/// <summary>
/// SASLprep (RFC 4013, the stringprep profile for user names and passwords): map non-ASCII spaces to a space and
/// "commonly mapped to nothing" characters to nothing, normalize with NFKC, refuse prohibited characters, and apply
/// the bidirectional rule. MongoDB applies it to SCRAM-SHA-256 passwords only.
/// </summary>
internal static class SaslPrep
{
    public static string Prepare(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var mapped = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (IsMappedToNothing(c))
            {
                continue;
            }

            mapped.Append(IsNonAsciiSpace(c) ? ' ' : c);
        }

        var normalized = mapped.ToString().Normalize(NormalizationForm.FormKC);
        bool hasRandAl = false, hasL = false;
        for (var i = 0; i < normalized.Length; i++)
        {
            var codePoint = char.ConvertToUtf32(normalized, i);
            if (char.IsSurrogatePair(normalized, i))
            {
                i++;
            }

            if (IsProhibited(codePoint))
            {
                throw new ArgumentException($"The password contains a character that SASLprep prohibits (U+{codePoint:X4}).");
            }

            hasRandAl |= IsRandAl(codePoint);
            hasL |= !IsRandAl(codePoint) && IsLetter(codePoint);
        }

        if (hasRandAl && (hasL || !IsRandAl(char.ConvertToUtf32(normalized, 0)) || !IsRandAl(LastCodePoint(normalized))))
        {
            throw new ArgumentException("The password breaks SASLprep's bidirectional rule (right-to-left text must not mix with left-to-right letters and must start and end right-to-left).");
        }

        return normalized;
    }

    private static int LastCodePoint(string s)
        => s.Length >= 2 && char.IsSurrogatePair(s[^2], s[^1]) ? char.ConvertToUtf32(s[^2], s[^1]) : s[^1];

    // RFC 3454 B.1.
    private static bool IsMappedToNothing(char c) => c is '\u00AD' or '\u034F' or '\u1806' or '\u180B' or '\u180C' or '\u180D'
        or '\u200B' or '\u200C' or '\u200D' or '\u2060' or (>= '\uFE00' and <= '\uFE0F') or '\uFEFF';

    // RFC 3454 C.1.2.
    private static bool IsNonAsciiSpace(int c) => c is 0x00A0 or 0x1680 or (>= 0x2000 and <= 0x200B) or 0x202F or 0x205F or 0x3000;

    private static bool IsProhibited(int c) =>
        IsNonAsciiSpace(c)
        || c is < 0x20 or 0x7F or (>= 0x80 and <= 0x9F)                                      // C.2.1, C.2.2 controls
        || c is 0x06DD or 0x070F or 0x180E or 0x200C or 0x200D or 0x2028 or 0x2029 or (>= 0x2060 and <= 0x2063) or (>= 0x206A and <= 0x206F) or 0xFEFF or (>= 0xFFF9 and <= 0xFFFC) or (>= 0x1D173 and <= 0x1D17A)
        || c is (>= 0xE000 and <= 0xF8FF) or (>= 0xF0000 and <= 0xFFFFD) or (>= 0x100000 and <= 0x10FFFD) // C.3 private use
        || c is (>= 0xFDD0 and <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE                           // C.4 non-characters
        || c is (>= 0xD800 and <= 0xDFFF)                                                     // C.5 surrogates
        || c is (>= 0xFFF9 and <= 0xFFFD)                                                     // C.6 inappropriate for plain text
        || c is (>= 0x2FF0 and <= 0x2FFB)                                                     // C.7 ideographic description
        || c is 0x0340 or 0x0341 or 0x200E or 0x200F or (>= 0x202A and <= 0x202E) or 0x206A or 0x206B or 0x206C or 0x206D or 0x206E or 0x206F // C.8
        || c is 0xE0001 or (>= 0xE0020 and <= 0xE007F)                                        // C.9 tagging
        || (c <= 0xFFFF && CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.OtherNotAssigned); // A.1 unassigned (approximated by .NET's tables)

    // Right-to-left scripts (RFC 3454 D.1, approximated by block: Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan, presentation forms).
    private static bool IsRandAl(int c) => c is (>= 0x0590 and <= 0x08FF) or (>= 0xFB1D and <= 0xFDFF) or (>= 0xFE70 and <= 0xFEFF);

    private static bool IsLetter(int c) => c <= 0xFFFF
        ? char.IsLetter((char)c)
        : CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.OtherLetter;
}
