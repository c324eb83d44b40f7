using System;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using FinCardPin.Engine.Apdu;

namespace FinCardPin.VirtualCard.Host.PinPad
{
    /// <summary>
    /// An emulated Gemalto GemPC Pinpad (serial): answers the CCID messages libccidtwin sends (USB CCID 1.1 §6) in
    /// front of one virtual card. TPDU level, as libccid's serial descriptor says (dwFeatures 00010230): T=0 TPDUs go
    /// to the card as they are, T=1 blocks are answered by <see cref="T1CardSide"/>, a PPS request right after the
    /// power-on is confirmed by echoing it, and PC_to_RDR_Secure types the keypad script into the APDU
    /// (<see cref="SecurePinEntry"/>).
    /// <para>The control folder, read when it matters so that a test changes the reader between operations:</para>
    /// <list type="bullet">
    /// <item><c>card</c>: line 1 the card's state file, line 2 (optional) its APDU log; missing or empty: no card.
    /// Read at every slot-status poll: another file is another card (the slot goes inactive once, so that pcscd sees
    /// a removal and an insertion).</item>
    /// <item><c>keypad</c>: see <see cref="KeypadEntry"/>.</item>
    /// <item><c>reader</c>: <c>modify=no</c> makes the reader one without PIN modification (a Secure with
    /// bPINOperation 01 fails with a CCID error, as such a reader answers: libccid still lists MODIFY for every
    /// GemPC Pinpad).</item>
    /// <item><c>wire.log</c> (written): every CCID message but the slot-status polls, the Secure fields as received,
    /// the keypad's outcome. No code: PIN commands sent through XfrBlock are shown redacted.</item>
    /// </list>
    /// </summary>
    internal sealed class CcidPinPadReader
    {
        private const byte StatusFailed = 0x40;
        private const byte IccActive = 0x00;
        private const byte IccInactive = 0x01;
        private const byte IccAbsent = 0x02;
        private const byte ErrorMute = 0xFE;
        private const byte ErrorCommandNotSupported = 0x00;

        private static readonly byte[] Firmware = Encoding.ASCII.GetBytes("GemPC Pinpad emulator (FinCardPin)");

        private readonly string _control;
        private readonly T1CardSide _t1 = new T1CardSide();
        private VirtualFineidCard? _card;
        private string _cardKey = string.Empty;
        private bool _powered;
        private bool _ppsAllowed;
        private byte _protocol;

        private readonly byte[]? _firmwareFeatures;

        /// <param name="controlFolder">The test's control folder (see the class summary).</param>
        /// <param name="pinDigits">
        /// Null: the reader does not know Gemalto's GET_FIRMWARE_FEATURES escape (6A), as a GemPC Pinpad v1; libccid then
        /// reports no digit limits for a serial reader. Else the (minimum, maximum) digits it answers there, which
        /// libccid passes on in FEATURE_GET_TLV_PROPERTIES (bMinPINSize, bMaxPINSize), as it does for a USB CT700.
        /// </param>
        public CcidPinPadReader(string controlFolder, (byte Min, byte Max)? pinDigits = null)
        {
            _control = controlFolder ?? throw new ArgumentNullException(nameof(controlFolder));
            if (pinDigits.HasValue)
            {
                // libccid's struct GEMALTO_FIRMWARE_FEATURES (ccid.h), 21 bytes: a 2x16 display, validation by the OK
                // key (02), VerifyPinDirect and ModifyPinDirect (bits 5 and 6 of byte 4), bNumberMessageFix not set
                // (libccid keeps its modify workaround), version 1, the digit limits, no firewall.
                _firmwareFeatures = new byte[21];
                _firmwareFeatures[0] = 2;
                _firmwareFeatures[1] = 16;
                _firmwareFeatures[3] = 0x02;
                _firmwareFeatures[4] = 0x60;
                _firmwareFeatures[12] = 1;
                _firmwareFeatures[13] = pinDigits.Value.Min;
                _firmwareFeatures[14] = pinDigits.Value.Max;
            }

            RefreshCard();
        }

        /// <summary>How many PC_to_RDR_Secure commands the reader has received.</summary>
        public int SecureCount { get; private set; }

        /// <summary>Answers one CCID message (10-byte header + data).</summary>
        public byte[] Handle(byte[] message)
        {
            byte type = message[0];
            byte slot = message[5];
            byte seq = message[6];
            var data = new byte[message.Length - GemPcSerialFraming.HeaderSize];
            Buffer.BlockCopy(message, GemPcSerialFraming.HeaderSize, data, 0, data.Length);
            switch (type)
            {
                case 0x65: // PC_to_RDR_GetSlotStatus
                    RefreshCard();
                    return Answer(0x81, slot, seq, 0, 0, 0, Array.Empty<byte>());
                case 0x62: // PC_to_RDR_IccPowerOn
                    Log("-> IccPowerOn bPowerSelect=" + X(message[7]));
                    return PowerOn(slot, seq);
                case 0x63: // PC_to_RDR_IccPowerOff
                    Log("-> IccPowerOff");
                    _card?.PowerOff();
                    _powered = false;
                    return Answer(0x81, slot, seq, 0, 0, 0, Array.Empty<byte>());
                case 0x61: // PC_to_RDR_SetParameters
                    _protocol = message[7];
                    Log("-> SetParameters T=" + _protocol.ToString(CultureInfo.InvariantCulture) + " " + Hex.Format(data));
                    return Answer(0x82, slot, seq, 0, 0, _protocol, data);
                case 0x6C: // PC_to_RDR_GetParameters
                    return Answer(0x82, slot, seq, 0, 0, _protocol, new byte[] { 0x11, 0x00, 0x00, 0x0A, 0x00 });
                case 0x6B: // PC_to_RDR_Escape
                    return Escape(slot, seq, data);
                case 0x6F: // PC_to_RDR_XfrBlock
                    return XfrBlock(slot, seq, data);
                case 0x69: // PC_to_RDR_Secure
                    return Secure(slot, seq, data);
                default:
                    Log("-> message " + X(type) + " not supported");
                    return Answer(0x81, slot, seq, StatusFailed, ErrorCommandNotSupported, 0, Array.Empty<byte>());
            }
        }

        private byte[] PowerOn(byte slot, byte seq)
        {
            RefreshCard();
            if (_card == null || _card.IsRemoved)
            {
                return Answer(0x80, slot, seq, StatusFailed, ErrorMute, 0, Array.Empty<byte>());
            }

            _card.PowerOn();
            _powered = true;
            _ppsAllowed = true;
            _protocol = 0;
            _t1.Reset();
            byte[] atr = _card.Atr;
            Log("<- DataBlock ATR " + Hex.Format(atr));
            return Answer(0x80, slot, seq, 0, 0, 0, atr);
        }

        private byte[] Escape(byte slot, byte seq, byte[] data)
        {
            Log("-> Escape " + Hex.Format(data));
            if (data.Length == 1 && data[0] == 0x02)
            {
                return Answer(0x83, slot, seq, 0, 0, 0, Firmware);
            }

            if (data.Length == 1 && data[0] == 0x6A)
            {
                // GET_FIRMWARE_FEATURES: answered only when the emulator was started with digit limits.
                return _firmwareFeatures == null
                    ? Answer(0x83, slot, seq, StatusFailed, ErrorCommandNotSupported, 0, Array.Empty<byte>())
                    : Answer(0x83, slot, seq, 0, 0, 0, _firmwareFeatures);
            }

            // Card movement notification mode (01 01 01) and the display strings libccid loads: taken.
            return Answer(0x83, slot, seq, 0, 0, 0, Array.Empty<byte>());
        }

        private byte[] XfrBlock(byte slot, byte seq, byte[] data)
        {
            if (!_powered || _card == null)
            {
                Log("-> XfrBlock with no powered card");
                return Answer(0x80, slot, seq, StatusFailed, ErrorMute, 0, Array.Empty<byte>());
            }

            if (_ppsAllowed && data.Length >= 3 && data[0] == 0xFF)
            {
                // PPS request (ISO/IEC 7816-3 §9): the card accepts it by echoing it.
                _ppsAllowed = false;
                Log("-> PPS " + Hex.Format(data) + " (confirmed)");
                return Answer(0x80, slot, seq, 0, 0, 0, data);
            }

            _ppsAllowed = false;
            byte[]? answer;
            if (_protocol == 1)
            {
                answer = _t1.Handle(data, CardTransmit, Log);
            }
            else
            {
                answer = CardTransmit(data);
            }

            Array.Clear(data, 0, data.Length);
            if (answer == null || answer.Length == 0)
            {
                return Answer(0x80, slot, seq, StatusFailed, ErrorMute, 0, Array.Empty<byte>());
            }

            return Answer(0x80, slot, seq, 0, 0, 0, answer);
        }

        private byte[]? CardTransmit(byte[] apdu)
        {
            VirtualFineidCard? card = _card;
            if (card == null)
            {
                return null;
            }

            byte[]? answer = card.Transmit(apdu);
            Log("   card (T=" + _protocol.ToString(CultureInfo.InvariantCulture) + "): " + ApduLog.FormatCommand(apdu, apdu.Length) + " -> "
                + (answer == null ? "(card removed)" : answer.Length == 0 ? "(no answer)" : Hex.Format(answer)));
            return answer;
        }

        private byte[] Secure(byte slot, byte seq, byte[] data)
        {
            SecureCount++;
            Log("-> Secure " + Hex.Format(data));
            if (!_powered || _card == null)
            {
                return Answer(0x80, slot, seq, StatusFailed, ErrorMute, 0, Array.Empty<byte>());
            }

            SecurePinEntry? entry = SecurePinEntry.Parse(data);
            if (entry == null)
            {
                Log("   not a PIN verify or modify this reader knows: CCID error");
                return Answer(0x80, slot, seq, StatusFailed, 0x0A, 0, Array.Empty<byte>());
            }

            Log("   " + entry.Describe());
            if (entry.IsModify && !ModifySupported())
            {
                Log("   this reader has no PIN modification (reader: modify=no): CCID error, bError 0A (bPINOperation)");
                return Answer(0x80, slot, seq, StatusFailed, 0x0A, 0, Array.Empty<byte>());
            }

            using (KeypadEntry keypad = KeypadEntry.Take(Path.Combine(_control, "keypad")))
            {
                byte[]? apdu = entry.Build(keypad, out ushort readerStatus, out byte ccidError, out string outcome);
                Log("   keypad: " + outcome + (keypad.WaitMs > 0 ? " after " + keypad.WaitMs.ToString(CultureInfo.InvariantCulture) + " ms" : string.Empty));
                if (keypad.WaitMs > 0)
                {
                    Thread.Sleep(keypad.WaitMs);
                }

                if (apdu == null)
                {
                    if (ccidError != 0)
                    {
                        return Answer(0x80, slot, seq, StatusFailed, ccidError, 0, Array.Empty<byte>());
                    }

                    return Answer(0x80, slot, seq, 0, 0, 0, new[] { (byte)(readerStatus >> 8), (byte)readerStatus });
                }

                try
                {
                    byte[]? answer;
                    if (_protocol == 1)
                    {
                        // The reader sends the card one I-block: the prologue libccid built, the APDU, the LRC.
                        var block = new byte[apdu.Length + 4];
                        block[0] = entry.TeoPrologue[0];
                        block[1] = entry.TeoPrologue[1];
                        block[2] = (byte)apdu.Length;
                        Buffer.BlockCopy(apdu, 0, block, 3, apdu.Length);
                        byte lrc = 0;
                        for (int i = 0; i < block.Length - 1; i++)
                        {
                            lrc ^= block[i];
                        }

                        block[block.Length - 1] = lrc;
                        answer = _t1.Handle(block, CardTransmit, Log);
                        Array.Clear(block, 0, block.Length);
                    }
                    else
                    {
                        answer = CardTransmit(apdu);
                    }

                    if (answer == null || answer.Length == 0)
                    {
                        return Answer(0x80, slot, seq, StatusFailed, ErrorMute, 0, Array.Empty<byte>());
                    }

                    return Answer(0x80, slot, seq, 0, 0, 0, answer);
                }
                finally
                {
                    Array.Clear(apdu, 0, apdu.Length);
                }
            }
        }

        private bool ModifySupported()
        {
            string path = Path.Combine(_control, "reader");
            if (!File.Exists(path))
            {
                return true;
            }

            foreach (string line in File.ReadAllLines(path))
            {
                if (line.Trim() == "modify=no")
                {
                    return false;
                }
            }

            return true;
        }

        // The card file: another card when its text changes.
        private void RefreshCard()
        {
            string path = Path.Combine(_control, "card");
            string key = File.Exists(path) ? File.ReadAllText(path).Trim() : string.Empty;
            if (key == _cardKey)
            {
                return;
            }

            _cardKey = key;
            _powered = false;
            _card = null;
            if (key.Length == 0)
            {
                Log("# card removed");
                return;
            }

            string[] lines = key.Split('\n');
            string state = lines[0].Trim();
            string? apduLog = lines.Length > 1 && lines[1].Trim().Length > 0 ? lines[1].Trim() : null;
            try
            {
                _card = VirtualFineidCard.Load(state, apduLog);
                Log("# card inserted: " + state);
            }
            catch (Exception e) when (e is IOException || e is InvalidDataException || e is UnauthorizedAccessException || e is ArgumentException)
            {
                Log("# card file unreadable, no card: " + state + ": " + e.Message.Replace('\n', ' '));
            }
        }

        private byte[] Answer(byte type, byte slot, byte seq, byte status, byte error, byte specific, byte[] data)
        {
            byte icc = _card == null || _card.IsRemoved ? IccAbsent : _powered ? IccActive : IccInactive;
            var answer = new byte[GemPcSerialFraming.HeaderSize + data.Length];
            answer[0] = type;
            answer[1] = (byte)data.Length;
            answer[2] = (byte)(data.Length >> 8);
            answer[5] = slot;
            answer[6] = seq;
            answer[7] = (byte)(status | icc);
            answer[8] = error;
            answer[9] = specific;
            Buffer.BlockCopy(data, 0, answer, GemPcSerialFraming.HeaderSize, data.Length);
            if (type != 0x81 || status != 0)
            {
                Log("<- " + X(type) + " bStatus=" + X(answer[7]) + " bError=" + X(error) + (data.Length > 0 && type != 0x80 ? " " + Hex.Format(data) : string.Empty)
                    + (type == 0x80 && data.Length > 0 ? " data " + data.Length.ToString(CultureInfo.InvariantCulture) + " bytes, ends " + Hex.Format(data, Math.Max(0, data.Length - 2), Math.Min(2, data.Length)) : string.Empty));
            }

            return answer;
        }

        internal void Log(string line)
        {
            string text = DateTime.UtcNow.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture) + " " + line + "\n";
            File.AppendAllText(Path.Combine(_control, "wire.log"), text);
        }

        private static string X(byte value) => value.ToString("X2", CultureInfo.InvariantCulture);
    }
}
