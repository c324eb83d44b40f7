using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;

namespace FinCardPin.VirtualCard.Host.PinPad
{
    /// <summary>
    /// <c>pinpad --link &lt;path&gt; --control &lt;folder&gt; [--pin-digits &lt;min&gt;-&lt;max&gt;]</c>: an emulated serial GemPC Pinpad on a pseudo-terminal,
    /// for pcscd with libccidtwin (<c>DEVICENAME &lt;path&gt;:GemPCPinPad</c>). Makes <c>&lt;path&gt;</c> a symbolic link
    /// to the terminal (--pin-digits: the limits its firmware reports, see <see cref="CcidPinPadReader"/>), prints one line (<c>ok pinpad &lt;/dev/pts/N&gt;</c>), and serves until SIGTERM or SIGINT.
    /// </summary>
    internal static class PinPadHost
    {
        public static int Run(string link, string control, (byte Min, byte Max)? pinDigits)
        {
            Directory.CreateDirectory(control);
            using (PseudoTerminal pty = PseudoTerminal.Open())
            {
                if (File.Exists(link) || Directory.Exists(link) || new FileInfo(link).LinkTarget != null)
                {
                    File.Delete(link);
                }

                File.CreateSymbolicLink(link, pty.SlavePath);
                var reader = new CcidPinPadReader(control, pinDigits);
                reader.Log("# GemPC Pinpad emulator on " + pty.SlavePath + " (" + link + ")");
                var stop = new ManualResetEventSlim(false);
                Action<PosixSignalContext> onSignal = context =>
                {
                    context.Cancel = true;
                    stop.Set();
                };
                using PosixSignalRegistration onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, onSignal);
                using PosixSignalRegistration onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, onSignal);
                Console.Out.WriteLine("ok pinpad " + pty.SlavePath);
                Console.Out.Flush();

                var framing = new GemPcSerialFraming();
                var buffer = new byte[4096];
                try
                {
                    while (!stop.IsSet)
                    {
                        int count = pty.Read(buffer, 200);
                        if (count == 0)
                        {
                            continue;
                        }

                        framing.Add(buffer, count);
                        Array.Clear(buffer, 0, count);
                        byte[]? message;
                        while ((message = framing.Next()) != null)
                        {
                            byte[] answer = reader.Handle(message);
                            byte[] reply = GemPcSerialFraming.EchoAndAnswer(message, answer);
                            Array.Clear(message, 0, message.Length);
                            pty.Write(reply);
                        }
                    }
                }
                finally
                {
                    reader.Log("# emulator stopped (" + reader.SecureCount + " Secure commands; " + framing.Discarded + " stray bytes; "
                        + framing.BadChecksums + " bad LRCs)");
                    File.Delete(link);
                }
            }

            return 0;
        }
    }
}
