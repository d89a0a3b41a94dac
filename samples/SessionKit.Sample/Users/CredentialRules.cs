using System.Net.Mail;

namespace SessionKit.Sample.Users;

/// <summary>The checks on a user name and password sent by a client, as field errors for a 400 validation problem.</summary>
internal static class CredentialRules
{
    /// <summary>Errors of a sign-in: both fields present and within <see cref="UserLimits"/>.</summary>
    public static Dictionary<string, string[]> ForSignIn(string? username, string? password)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrEmpty(username))
        {
            errors["username"] = ["The username is required."];
        }

        if (string.IsNullOrEmpty(password))
        {
            errors["password"] = ["The password is required."];
        }

        AddLengthErrors(errors, username, password);
        return errors;
    }

    /// <summary>Errors of a new user: an e-mail address as user name, a password that is not empty, both within <see cref="UserLimits"/>.</summary>
    public static Dictionary<string, string[]> ForNewUser(string? username, string? password)
    {
        var errors = new Dictionary<string, string[]>();
        if (!IsEmailAddress(username))
        {
            errors["username"] = ["The username must be an e-mail address."];
        }

        if (string.IsNullOrEmpty(password))
        {
            errors["password"] = ["The password must not be empty."];
        }

        AddLengthErrors(errors, username, password);
        return errors;
    }

    private static void AddLengthErrors(Dictionary<string, string[]> errors, string? username, string? password)
    {
        if (username?.Length > UserLimits.MaxUsernameLength)
        {
            errors["username"] = [$"The username must be at most {UserLimits.MaxUsernameLength} characters."];
        }

        if (password?.Length > UserLimits.MaxPasswordLength)
        {
            errors["password"] = [$"The password must be at most {UserLimits.MaxPasswordLength} characters."];
        }
    }

    private static bool IsEmailAddress(string? value)
        => !string.IsNullOrWhiteSpace(value)
           && value.Length <= UserLimits.MaxUsernameLength
           && MailAddress.TryCreate(value, out var address)
           && string.Equals(address.Address, value, StringComparison.Ordinal)
           && value.Contains('.', StringComparison.Ordinal);
}
