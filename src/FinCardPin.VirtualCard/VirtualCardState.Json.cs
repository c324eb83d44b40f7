using System;
using System.IO;
using System.Runtime.Serialization;
using System.Runtime.Serialization.Json;
using System.Text;
using System.Xml;

namespace FinCardPin.VirtualCard
{
    /// <summary>The card file: loading it (or a diagnostics report to play back), saving it atomically, and its JSON.</summary>
    internal sealed partial class VirtualCardState
    {
        public static VirtualCardState Load(string path)
        {
            if (path == null)
            {
                throw new ArgumentNullException(nameof(path));
            }

            // A state file is small and regular. Checking the length first also refuses what is not a regular file
            // without opening it: a FIFO reports 0 bytes, and reading one would wait for a writer for ever.
            var file = new FileInfo(path);
            if (!file.Exists)
            {
                throw new FileNotFoundException("No virtual card state file: " + path, path);
            }

            if (file.Length == 0 || file.Length > MaxFileLength)
            {
                throw new VirtualCardFileException(path, file.Length == 0 ? VirtualCardFileProblem.Empty : VirtualCardFileProblem.TooLarge);
            }

            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(path);
            }
            catch (Exception ex) when ((ex is IOException && !(ex is FileNotFoundException)) || ex is UnauthorizedAccessException)
            {
                throw new VirtualCardFileException(path, VirtualCardFileProblem.Unreadable, ex);
            }

            try
            {
                string text = new UTF8Encoding(false, true).GetString(bytes);
                if (FinCardPin.Engine.Fineid.Diagnostics.CardDiagnosticReport.LooksLikeReport(text))
                {
                    return FromDiagnosticReport(FinCardPin.Engine.Fineid.Diagnostics.CardDiagnosticReport.FromJson(text));
                }

                using (var stream = new MemoryStream(bytes))
                {
                    var state = (VirtualCardState?)Serializer().ReadObject(stream);
                    if (state == null || !state._profileRead)
                    {
                        // JSON of another shape ([1,2], {}, "text", null) reads as an object with nothing set: a card
                        // file always names its profile (Save writes it first).
                        throw new VirtualCardFileException(path, VirtualCardFileProblem.NotACardFile);
                    }

                    state.Normalise();
                    return state;
                }
            }
            catch (Exception ex) when (ex is SerializationException || ex is System.Xml.XmlException || ex is ArgumentException || ex is FormatException
                || ex is OverflowException || ex is DecoderFallbackException || ex is InvalidCastException || ex is InvalidDataException)
            {
                throw new VirtualCardFileException(path, VirtualCardFileProblem.NotACardFile, ex);
            }
        }

        /// <summary>
        /// Writes the state atomically: a temp file in the same folder, readable by its owner only, then a rename over
        /// the target.
        /// </summary>
        public void Save(string path)
        {
            if (path == null)
            {
                throw new ArgumentNullException(nameof(path));
            }

            if (Replay != null)
            {
                return; // a played-back report never changes
            }

            string full = Path.GetFullPath(path);
            string folder = Path.GetDirectoryName(full) ?? ".";
            string temp = Path.Combine(folder, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N") + ".tmp");
            try
            {
                // Created readable by its owner only (the codes are in it, in clear); the rename keeps that.
                using (FileStream stream = OwnerOnlyFile.Create(temp))
                {
                    byte[] json = ToJsonBytes();
                    stream.Write(json, 0, json.Length);
                }

                if (File.Exists(full))
                {
                    File.Replace(temp, full, null);
                }
                else
                {
                    File.Move(temp, full);
                }
            }
            finally
            {
                if (File.Exists(temp))
                {
                    File.Delete(temp);
                }
            }
        }

        /// <summary>The JSON text of this state (indented).</summary>
        public string ToJson() => new UTF8Encoding(false).GetString(ToJsonBytes());

        public static VirtualCardState FromJson(string json)
        {
            using (var stream = new MemoryStream(new UTF8Encoding(false).GetBytes(json ?? throw new ArgumentNullException(nameof(json)))))
            {
                var state = (VirtualCardState?)Serializer().ReadObject(stream)
                    ?? throw new InvalidDataException("Empty virtual card state.");
                state.Normalise();
                return state;
            }
        }

        private byte[] ToJsonBytes()
        {
            using (var stream = new MemoryStream())
            {
                using (XmlDictionaryWriter writer = JsonReaderWriterFactory.CreateJsonWriter(stream, new UTF8Encoding(false), false, true, "  "))
                {
                    Serializer().WriteObject(writer, this);
                    writer.Flush();
                }

                stream.WriteByte((byte)'\n');
                return stream.ToArray();
            }
        }

        private static DataContractJsonSerializer Serializer() => new DataContractJsonSerializer(typeof(VirtualCardState));

        private void Normalise()
        {
            // Members missing from a hand-written file come back null from the serializer; an older file's
            // activation code comes under its old name.
            Faults = Faults ?? new VirtualCardFaults();
            Pin1 = Pin1 ?? new VirtualPinState();
            Pin2 = Pin2 ?? new VirtualPinState();
            ActivationCode = ActivationCode ?? OldActivationCode ?? new VirtualPinState();
            OldActivationCode = null;
            Serial = Serial ?? string.Empty;
            foreach (var code in new[] { Pin1, Pin2, ActivationCode })
            {
                code.Value = code.Value ?? string.Empty;
            }
        }

        private static T ParseEnum<T>(string? text, string what) where T : struct
        {
            if (text != null && Enum.TryParse(text, true, out T value) && Enum.IsDefined(typeof(T), value))
            {
                return value;
            }

            throw new SerializationException("Unknown " + what + " '" + text + "'.");
        }
    }
}
