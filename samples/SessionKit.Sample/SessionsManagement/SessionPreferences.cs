using System.Text;

namespace SessionKit.Sample.SessionsManagement;

/// <summary>
/// What a person chose for one of their sessions (not for their account): a label naming the device, such as
/// "Work laptop", shown next to the session in "My sessions". Kept in the session's own data
/// (<see cref="SessionData"/>), so it ends with the session — logout, revocation, expiry — and a new sign-in starts
/// without one.
/// </summary>
/// <param name="DeviceLabel">The label; <see langword="null"/> when none is set (sending null or "" removes it).</param>
internal sealed record SessionPreferences(string? DeviceLabel)
{
    public const int MaxDeviceLabelLength = 64;

    /// <summary>The session data key of the label.</summary>
    public const string DeviceLabelKey = "device-label";

    /// <summary>The label a session's data holds, if any (for any session of the user, not only the current one).</summary>
    public static string? DeviceLabelOf(IReadOnlyDictionary<string, byte[]> data)
        => data.TryGetValue(DeviceLabelKey, out var label) ? Encoding.UTF8.GetString(label) : null;

    /// <summary>The preferences of the session behind <paramref name="data"/>, with this request's changes.</summary>
    public static SessionPreferences Read(SessionData data) => new(data.GetString(DeviceLabelKey));

    /// <summary>Field errors for a 400 validation problem: a label of at most <see cref="MaxDeviceLabelLength"/> characters, without control characters.</summary>
    public Dictionary<string, string[]> Errors()
    {
        var errors = new Dictionary<string, string[]>();
        if (DeviceLabel?.Length > MaxDeviceLabelLength)
        {
            errors["deviceLabel"] = [$"The device label must be at most {MaxDeviceLabelLength} characters."];
        }
        else if (DeviceLabel?.Any(char.IsControl) == true)
        {
            errors["deviceLabel"] = ["The device label must not contain control characters (line breaks, tabs, …)."];
        }

        return errors;
    }

    /// <summary>Stores these preferences in the session's data (saved with the response); a blank label removes it.</summary>
    public SessionPreferences WriteTo(SessionData data)
    {
        if (string.IsNullOrWhiteSpace(DeviceLabel))
        {
            data.Remove(DeviceLabelKey);
        }
        else
        {
            data.SetString(DeviceLabelKey, DeviceLabel.Trim());
        }

        return Read(data);
    }
}
