using System;
using FinCardPin.Engine.Fineid.Pkcs15;

namespace FinCardPin.Engine.Fineid
{
    /// <summary>
    /// Reads an IDEMIA chip's answer to GET DATA of a PIN security object: 70 { BF 81 ref { A0 { 9A max, 9B remaining } } }
    /// (the shape DigiDoc4-Client, libelectronic-id and OpenSC's esteid2018 driver read).
    /// </summary>
    internal static class IdemiaCounters
    {
        /// <summary>(maximum, remaining), or null when the answer is not that object for that reference.</summary>
        public static (int Maximum, int Remaining)? Parse(byte[] answer, byte objectReference)
        {
            if (answer == null)
            {
                throw new ArgumentNullException(nameof(answer));
            }

            try
            {
                var outer = TlvReader.ReadAll(answer);
                if (outer.Count != 1 || outer[0].Tag != 0x70)
                {
                    return null;
                }

                var securityObject = TlvReader.ReadAll(outer[0].Value);
                if (securityObject.Count != 1 || securityObject[0].Tag != (0xBF8100 | objectReference))
                {
                    return null;
                }

                int? maximum = null;
                int? remaining = null;
                foreach (var item in TlvReader.ReadAll(securityObject[0].Value))
                {
                    if (item.Tag != 0xA0)
                    {
                        continue;
                    }

                    foreach (var field in TlvReader.ReadAll(item.Value))
                    {
                        if (field.Tag == 0x9A && field.Value.Length == 1)
                        {
                            maximum = field.Value[0];
                        }
                        else if (field.Tag == 0x9B && field.Value.Length == 1)
                        {
                            remaining = field.Value[0];
                        }
                    }
                }

                return maximum.HasValue && remaining.HasValue ? (maximum.Value, remaining.Value) : ((int, int)?)null;
            }
            catch (FormatException)
            {
                return null;
            }
        }
    }
}
