namespace SessionKit.Sample.CookieScenario;

/// <summary>The body of <c>POST /user</c> and <c>POST /user/login</c>.</summary>
/// <param name="Username">An e-mail address, e.g. <c>john.doe@email.com</c> (<c>admin</c> for the seeded superuser).</param>
/// <param name="Password">The password; not empty.</param>
internal sealed record CreateUserRequest(string? Username, string? Password);
