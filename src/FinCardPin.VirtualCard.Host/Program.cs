using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using FinCardPin.VirtualCard;

namespace FinCardPin.VirtualCard.Host
{
    /// <summary>
    /// Puts virtual FINEID cards into pcscd's vpcd readers.
    /// <list type="bullet">
    /// <item>No arguments: a line-oriented command loop on stdin (one reply line each on stdout):
    /// <c>insert &lt;slot&gt; &lt;state.json&gt; [&lt;apdu.log&gt;]</c>, <c>remove &lt;slot&gt;</c>,
    /// <c>lock &lt;slot&gt;</c>, <c>unlock &lt;slot&gt;</c>, <c>quit</c>.</item>
    /// <item><c>--slot 0 --card state.json [--log apdu.log]</c>: insert one card and keep it in until stdin ends
    /// or Ctrl-C.</item>
    /// <item><c>pinpad --link &lt;path&gt; --control &lt;folder&gt;</c>: an emulated serial GemPC Pinpad for pcscd's
    /// libccidtwin, in front of the card the control folder names (PinPad/PinPadHost.cs).</item>
    /// <item><c>new-card &lt;path&gt; --profile P --pin1 … --pin2 … --activation-code … --serial …</c> (or
    /// <c>--unactivated &lt;8 digits&gt;</c> / <c>--unactivated-2026 &lt;7 digits&gt;</c>): writes a state file.</item>
    /// </list>
    /// </summary>
    internal static class Program
    {
        public static int Main(string[] args)
        {
            try
            {
                if (args.Length == 0)
                {
                    using (var loop = new CommandLoop(Console.Out))
                    {
                        loop.Run(Console.In);
                    }

                    return 0;
                }

                if (args[0] == "new-card")
                {
                    return NewCard(args);
                }

                if (args[0] == "pinpad")
                {
                    Dictionary<string, string?> pinpad = ParseOptions(args, 1, "--link", "--control", "--pin-digits");
                    (byte Min, byte Max)? digits = null;
                    if (pinpad.TryGetValue("--pin-digits", out string? limits) && limits != null)
                    {
                        string[] parts = limits.Split('-');
                        if (parts.Length != 2 || !byte.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out byte min)
                            || !byte.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out byte max) || min > max)
                        {
                            throw new UsageException("--pin-digits takes <min>-<max>, e.g. 4-8.");
                        }

                        digits = (min, max);
                    }

                    return PinPad.PinPadHost.Run(Required(pinpad, "--link"), Required(pinpad, "--control"), digits);
                }

                if (args[0] == "--help" || args[0] == "-h" || args[0] == "help")
                {
                    Console.Out.WriteLine(Usage);
                    return 0;
                }

                return OneShot(args);
            }
            catch (UsageException e)
            {
                Console.Error.WriteLine("error: " + e.Message);
                Console.Error.WriteLine(Usage);
                return 2;
            }
        }

        internal static readonly string Usage =
            "usage:\n"
            + "  FinCardPin.VirtualCard.Host                      command loop on stdin:\n"
            + "      insert <slot> <state.json> [<apdu.log>] | remove <slot> | lock <slot> | unlock <slot> | quit\n"
            + "  FinCardPin.VirtualCard.Host --slot <n> --card <state.json> [--log <apdu.log>]\n"
            + "  FinCardPin.VirtualCard.Host pinpad --link <pty symlink> --control <folder> [--pin-digits <min>-<max>]   (a GemPC Pinpad for libccidtwin)\n"
            + "  FinCardPin.VirtualCard.Host new-card <path> --profile <profile> [--variant Organisation|Sote] [--t0]\n"
            + "      --serial <digits> (--pin1 <d> --pin2 <d> --activation-code <d> | --unactivated <8 digits> | --unactivated-2026 <7 digits>)\n"
            + "  profiles: " + string.Join(", ", Enum.GetNames<VirtualCardProfile>());

        private static int OneShot(string[] args)
        {
            Dictionary<string, string?> options = ParseOptions(args, 0, "--slot", "--card", "--log");
            int slot = ParseSlot(Required(options, "--slot"));
            string card = Required(options, "--card");
            options.TryGetValue("--log", out string? log);

            using (var loop = new CommandLoop(Console.Out))
            {
                var stop = new ManualResetEventSlim(false);
                Action<PosixSignalContext> onSignal = context =>
                {
                    context.Cancel = true;
                    stop.Set();
                };
                using PosixSignalRegistration onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, onSignal);
                using PosixSignalRegistration onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, onSignal);

                string reply = loop.Insert(slot, card, log);
                Console.Out.WriteLine(reply);
                Console.Out.Flush();
                if (!reply.StartsWith("ok", StringComparison.Ordinal))
                {
                    return 1;
                }

                var stdinReader = new Thread(() =>
                {
                    try
                    {
                        while (Console.In.ReadLine() != null)
                        {
                        }
                    }
                    catch (IOException)
                    {
                    }

                    stop.Set();
                }) { IsBackground = true };
                stdinReader.Start();
                stop.Wait();
                Console.Out.WriteLine(loop.Remove(slot));
                Console.Out.Flush();
            }

            return 0;
        }

        private static int NewCard(string[] args)
        {
            if (args.Length < 2 || args[1].StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException("new-card needs the path of the state file to write.");
            }

            string path = args[1];
            Dictionary<string, string?> o = ParseOptions(args, 2, "--profile", "--variant", "--serial", "--pin1", "--pin2",
                "--activation-code", OldActivationCodeOption, "--unactivated", "--unactivated-2026", "--t0");
            string serial = Required(o, "--serial");
            VirtualCardVariant variant = o.TryGetValue("--variant", out string? v) && v != null
                ? ParseEnum<VirtualCardVariant>(v, "--variant")
                : VirtualCardVariant.Organisation;

            VirtualCardState state;
            try
            {
                if (o.TryGetValue("--unactivated-2026", out string? code7) && code7 != null)
                {
                    if (o.TryGetValue("--profile", out string? p) && p != null
                        && ParseProfile(p) != VirtualCardProfile.IdentityThales2025)
                    {
                        throw new UsageException("--unactivated-2026 cards are IdentityThales2025 cards.");
                    }

                    state = VirtualCardState.Unactivated2026(code7, serial);
                }
                else
                {
                    VirtualCardProfile profile = ParseProfile(Required(o, "--profile"));
                    if (o.TryGetValue("--unactivated", out string? code8) && code8 != null)
                    {
                        state = VirtualCardState.Pre2026Unactivated(profile, code8, serial, variant);
                    }
                    else
                    {
                        state = VirtualCardState.Activated(profile, Required(o, "--pin1"), Required(o, "--pin2"),
                            RequiredActivationCode(o), serial, variant);
                    }
                }
            }
            catch (ArgumentException e)
            {
                throw new UsageException(e.Message);
            }

            state.T0 = o.ContainsKey("--t0");
            state.Save(path);
            Console.Out.WriteLine("ok wrote " + Path.GetFullPath(path));
            return 0;
        }

        internal static int ParseSlot(string text)
        {
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int slot) || slot > 99)
            {
                throw new UsageException("Not a reader slot: '" + text + "'.");
            }

            return slot;
        }

        private static Dictionary<string, string?> ParseOptions(string[] args, int start, params string[] known)
        {
            var result = new Dictionary<string, string?>(StringComparer.Ordinal);
            for (int i = start; i < args.Length; i++)
            {
                string name = args[i];
                if (Array.IndexOf(known, name) < 0)
                {
                    throw new UsageException("Unknown argument '" + name + "'.");
                }

                if (name == "--t0")
                {
                    result[name] = null;
                    continue;
                }

                if (i + 1 >= args.Length)
                {
                    throw new UsageException(name + " needs a value.");
                }

                result[name] = args[++i];
            }

            return result;
        }

        // Scripts written until 0.1.0 pass the activation code as --puk (vocabulary: old name, kept).
        private const string OldActivationCodeOption = "--puk"; // vocabulary: old name, kept

        private static string RequiredActivationCode(Dictionary<string, string?> options) =>
            options.TryGetValue(OldActivationCodeOption, out string? old) && old != null && !options.ContainsKey("--activation-code")
                ? old
                : Required(options, "--activation-code");

        // Also the profile names of older scripts and card files ("Citizen…", see VirtualCardProfileNames; vocabulary: old name, kept).
        private static VirtualCardProfile ParseProfile(string text) =>
            VirtualCardProfileNames.TryParse(text, out VirtualCardProfile profile)
                ? profile
                : throw new UsageException("--profile must be one of " + string.Join(", ", Enum.GetNames<VirtualCardProfile>()) + ".");

        private static string Required(Dictionary<string, string?> options, string name)
        {
            if (options.TryGetValue(name, out string? value) && value != null)
            {
                return value;
            }

            throw new UsageException(name + " is required.");
        }

        private static T ParseEnum<T>(string text, string option) where T : struct, Enum
        {
            if (Enum.TryParse(text, true, out T value) && Enum.IsDefined(value))
            {
                return value;
            }

            throw new UsageException(option + " must be one of " + string.Join(", ", Enum.GetNames<T>()) + ".");
        }
    }

    internal sealed class UsageException : Exception
    {
        public UsageException(string message)
            : base(message)
        {
        }
    }
}
