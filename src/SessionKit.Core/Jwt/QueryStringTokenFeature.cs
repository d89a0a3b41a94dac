namespace SessionKit.Jwt;

/// <summary>
/// The <c>access_token</c> query parameter(s) that <see cref="QueryStringTokenHttpContextFactory"/> took out of a request
/// on one of the <see cref="SessionOverJwtOptions.QueryStringTokenPaths"/>, for the handler to read.
/// </summary>
/// <param name="Token">The first value.</param>
/// <param name="Count">How many values the query string carried (more than one is refused).</param>
internal sealed record QueryStringTokenFeature(string Token, int Count);
