using System;
using System.Collections.Generic;
using System.IO;

namespace FinCardPin.VirtualCard
{
    /// <summary>
    /// A virtual FINEID card: takes one command APDU (raw bytes) and returns the raw answer (data + SW1 SW2), or
    /// null when the card vanished. It parses the APDUs itself, independently of the engine. Persistent state
    /// (codes, counters) lives in <see cref="State"/> and, when the card has a state file, is saved after every
    /// change; "verified" flags, the selected application and file, and pending GET RESPONSE data are session state
    /// that power off, reset and SELECT clear. Not thread-safe: the caller serialises access. One file per concern:
    /// VirtualFineidCard.Transmit (the APDU path, and where a fault strikes), .FileSystem (SELECT, READ BINARY), .GetData,
    /// .PinCommands (VERIFY, CHANGE REFERENCE DATA, RESET RETRY COUNTER), .PinObjects (references, counters),
    /// .Replay (a diagnostics report played back), .Encoding and .Apdu.
    /// </summary>
    internal sealed partial class VirtualFineidCard
    {
        /// <summary>The PKCS-15 application of both FINEID families: A0 00 00 00 63 "PKCS-15".</summary>
        public static readonly IReadOnlyList<byte> Pkcs15Aid = Array.AsReadOnly(new byte[]
        {
            0xA0, 0x00, 0x00, 0x00, 0x63, 0x50, 0x4B, 0x43, 0x53, 0x2D, 0x31, 0x35,
        });

        private const ushort SwOk = 0x9000;
        private const ushort SwEndOfFile = 0x6282;
        private const ushort SwWrongLength = 0x6700;
        private const ushort SwSecurityNotSatisfied = 0x6982;
        private const ushort SwBlocked = 0x6983;
        private const ushort SwReferenceDataInvalidated = 0x6984;
        private const ushort SwConditionsNotSatisfied = 0x6985;
        private const ushort SwNoCurrentEf = 0x6986;
        private const ushort SwWrongData = 0x6A80;
        private const ushort SwNotFound = 0x6A82;
        private const ushort SwWrongP1P2 = 0x6A86;
        private const ushort SwReferenceNotFound = 0x6A88;
        private const ushort SwWrongOffset = 0x6B00;
        private const ushort SwInsNotSupported = 0x6D00;
        private const ushort SwClaNotSupported = 0x6E00;

        private const int IdentityPaddedLength = 12;
        private const int OrganisationMaxLength = 8;
        private const int IdemiaMaxRead = 0xC0;

        private readonly string? _statePath;
        private readonly ApduLog? _log;
        private VirtualCardState _state;

        // Session state: never saved.
        private bool _appSelected;
        private byte[]? _selectedFile;
        private bool _pin1Verified;
        private bool _pin2Verified;
        private bool _activationCodeVerified;
        private byte[]? _pendingData;
        private ushort _pendingSw;
        private int _faultAnswersGiven;
        private int _failAfterAnswersSeen;

        /// <param name="state">The card's state; the card changes this object.</param>
        /// <param name="statePath">Where to save after each change (null: keep in memory only).</param>
        /// <param name="logPath">The APDU log to append to (null: no log).</param>
        public VirtualFineidCard(VirtualCardState state, string? statePath = null, string? logPath = null)
        {
            _state = state ?? throw new ArgumentNullException(nameof(state));
            _statePath = statePath;
            _log = string.IsNullOrEmpty(logPath) ? null : new ApduLog(logPath!);
        }

        /// <summary>A card whose state comes from, and is saved to, <paramref name="statePath"/>.</summary>
        public static VirtualFineidCard Load(string statePath, string? logPath = null) =>
            new VirtualFineidCard(VirtualCardState.Load(statePath), statePath, logPath);

        public VirtualCardState State => _state;

        public string? StatePath => _statePath;

        public byte[] Atr => _state.Atr;

        /// <summary>True once the card vanished (a fault, or <see cref="Remove"/>): it answers nothing any more.</summary>
        public bool IsRemoved { get; private set; }

        /// <summary>
        /// Powers the card on: a fresh session, and the state re-read from its file (when it has one and the file
        /// exists) so that changes made by another process or by the test are seen.
        /// </summary>
        public void PowerOn()
        {
            if (_statePath != null && File.Exists(_statePath))
            {
                _state = VirtualCardState.Load(_statePath);
            }

            ClearSession();
            _log?.Comment("power on");
        }

        public void PowerOff()
        {
            ClearSession();
            _log?.Comment("power off");
        }

        /// <summary>A warm reset: the session starts again.</summary>
        public void Reset()
        {
            ClearSession();
            _log?.Comment("reset");
        }

        /// <summary>The card is pulled out of the reader.</summary>
        public void Remove()
        {
            if (IsRemoved)
            {
                return;
            }

            IsRemoved = true;
            ClearSession();
            _log?.Comment("removed");
        }

        private void ClearSession()
        {
            _faultAnswersGiven = 0;
            _failAfterAnswersSeen = 0;
            _appSelected = false;
            _selectedFile = null;
            _recordedAnswers = null;
            _recordedFiles = null;
            ClearVerified();
            _pendingData = null;
        }

        private void ClearVerified()
        {
            _pin1Verified = false;
            _pin2Verified = false;
            _activationCodeVerified = false;
        }
    }
}
