namespace SessionKit.Sample.Hosting;

/// <summary>
/// Binds a configuration section to options and fails on a key the options do not have, so that a misspelled setting
/// (<c>--SessionKit:IdelTimeout</c>) stops start-up instead of being ignored. SessionKit validates its options at
/// start-up, which is when these delegates run.
/// </summary>
internal static class StrictConfiguration
{
    public static Action<T> Bind<T>(IConfiguration configuration, string sectionName)
        where T : class
    {
        var section = configuration.GetSection(sectionName);
        return options => Bind(section, options);
    }

    public static void Bind<T>(IConfigurationSection section, T options)
        where T : class
    {
        try
        {
            section.Bind(options, binder => binder.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException exception)
        {
            throw new InvalidOperationException(
                $"The configuration section '{section.Path}' has a setting that {typeof(T).Name} does not know — check its spelling. {exception.Message}",
                exception);
        }
    }
}
