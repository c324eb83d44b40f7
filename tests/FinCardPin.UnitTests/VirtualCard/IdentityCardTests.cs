namespace FinCardPin.UnitTests.VirtualCards
{
    using FinCardPin.VirtualCard;
    using Xunit;

    public class IdentityCardTests
    {
        private const byte Pin1 = 0x11;
        private const byte Pin2 = 0x82;
        private const byte ActivationCode = 0x83;

        [Fact]
        public void Select_Pkcs15Aid_Returns9000()
        {
            var card = new VirtualFineidCard(Kit.Identity());
            Assert.Equal("9000", card.Tx(Kit.SelectApp));
        }

        [Fact]
        public void Select_Pkcs15AidWithP2Zero_ReturnsTheApplicationDfsControlParameters()
        {
            var card = new VirtualFineidCard(Kit.Identity());
            // P2 00 asks for the control parameters: a DF (82 01 38) with file id 5015, as OpenSC expects them.
            Assert.Equal("620782013883025015" + "9000", card.Tx("00A404000CA000000063504B43532D3135"));
        }

        [Fact]
        public void Select_ByPathFromTheMf_FindsEfDirTheApplicationAndItsFiles()
        {
            var card = new VirtualFineidCard(Kit.Identity());
            Assert.Equal("9000", card.Tx("00A4080C022F00"));
            Assert.StartsWith("61", card.Tx("00B0000000"));
            Assert.Equal("9000", card.Tx("00A4080C0450155031"));
            Assert.Equal("A806300404024401" + "9000", card.Tx("00B0000000"));
            Assert.Equal("9000", card.Tx("00A4080C063F0050154401"));
            Assert.StartsWith("30", card.Tx("00B0000000"));
            Assert.Equal("6A82", card.Tx("00A4080C0450155034"));
        }

        [Fact]
        public void Select_UnknownAid_Returns6A82()
        {
            var card = new VirtualFineidCard(Kit.Identity());
            Assert.Equal("6A82", card.Tx("00A4040C0CA000000063504B43532D3136"));
            Assert.Equal("6A82", card.Tx("00A4040C07A0000000030000"));
        }

        [Fact]
        public void Verify_BeforeSelect_Returns6982()
        {
            var card = new VirtualFineidCard(Kit.Identity());
            Assert.Equal("6982", card.Tx("00200011"));
            Assert.Equal("6982", card.Tx(Kit.IdentityVerify(Pin1, "1234")));
            Assert.Equal("6982", card.Tx(Kit.GetData(Pin1)));
            Assert.Equal(5, card.State.Pin1.TriesLeft);
        }

        [Fact]
        public void SelectEf_TokenInfo_Returns9000()
        {
            var card = Kit.Selected(Kit.Identity());
            Assert.Equal("9000", card.Tx(Kit.SelectTokenInfo));
        }

        [Fact]
        public void SelectEf_OtherFileOrNoApplication_Returns6A82()
        {
            var card = new VirtualFineidCard(Kit.Identity());
            Assert.Equal("6A82", card.Tx(Kit.SelectTokenInfo));
            Assert.Equal("9000", card.Tx(Kit.SelectApp));
            Assert.Equal("6A82", card.Tx("00A4020C025033"));
        }

        [Fact]
        public void ReadBinary_NoCurrentEf_Returns6986()
        {
            var card = Kit.Selected(Kit.Identity());
            Assert.Equal("6986", card.Tx("00B0000000"));
        }

        [Fact]
        public void ReadBinary_TokenInfo_ReturnsDerWithSerialManufacturerAndLabel()
        {
            var card = Kit.Selected(Kit.Identity());
            Assert.Equal("9000", card.Tx(Kit.SelectTokenInfo));

            string answer = card.Tx("00B0000000");

            string expected = "3020" + "020100" + "040A" + Kit.Ascii("1234567890") + "0C03" + Kit.Ascii("DVV")
                + "8006" + Kit.Ascii("FINEID") + "03020640" + "9000";
            Assert.Equal(expected, answer);
        }

        [Fact]
        public void ReadBinary_OffsetAndShortLe_ReturnsThatPart()
        {
            var card = Kit.Selected(Kit.Identity());
            card.Tx(Kit.SelectTokenInfo);

            Assert.Equal("30209000", card.Tx("00B0000002"));
            Assert.Equal("0201009000", card.Tx("00B0000203"));
            Assert.Equal("6B00", card.Tx("00B0002200"));
        }

        [Fact]
        public void ReadBinary_LeBeyondEnd_ReturnsRestWith6282()
        {
            var card = Kit.Selected(Kit.Identity());
            card.Tx(Kit.SelectTokenInfo);

            Assert.Equal(Kit.Ascii("FINEID") + "03020640" + "6282", card.Tx("00B0001810"));
        }

        [Fact]
        public void GetData_Pin1_ReturnsTheLibelectronicIdShape()
        {
            var card = Kit.Selected(Kit.Identity());

            Assert.Equal("A0238301118C04F00000009C04F0000000DF210405FFA503DF2702FFFFDF28010CDF2F01019000", card.Tx(Kit.GetData(Pin1)));
        }

        [Fact]
        public void GetData_AfterWrongVerify_ShowsTriesLeft()
        {
            var card = Kit.Selected(Kit.Identity());
            Assert.Equal("63C4", card.Tx(Kit.IdentityVerify(Pin2, "654321")));

            var info = Kit.PinInfo(card.Tx(Kit.GetData(Pin2)));

            Assert.Equal(4, info.Tries);
            Assert.Equal(1, info.Changed);
            Assert.Equal(5, Kit.PinInfo(card.Tx(Kit.GetData(Pin1))).Tries);
        }

        [Fact]
        public void GetData_ActivationCode_ShowsActivationCodeCounterAndNeverChanged()
        {
            var card = Kit.Selected(Kit.Identity());
            Assert.Equal("63C4", card.Tx(Kit.IdentityUnblock(Pin1, "87654321", "4321")));

            string answer = card.Tx(Kit.GetData(ActivationCode));

            Assert.StartsWith("A023830183", answer);
            Assert.Equal((4, 0), Kit.PinInfo(answer));
        }

        [Fact]
        public void GetData_WithoutLe_AnswersTheSame()
        {
            var card = Kit.Selected(Kit.Identity());
            Assert.Equal(card.Tx(Kit.GetData(Pin1)), card.Tx("00CB00FF05A003830111"));
        }

        [Fact]
        public void GetData_ShortLe_Returns6CWithTheLength()
        {
            var card = Kit.Selected(Kit.Identity());
            Assert.Equal("6C25", card.Tx("00CB00FF05A00383011110"));
        }

        [Fact]
        public void GetData_UnknownReference_Returns6A88()
        {
            var card = Kit.Selected(Kit.Identity());
            Assert.Equal("6A88", card.Tx(Kit.GetData(0x03)));
            Assert.Equal("6A88", card.Tx(Kit.GetData(0x81)));
        }

        [Fact]
        public void Probe_Fresh_Returns63C5()
        {
            var card = Kit.Selected(Kit.Identity());
            Assert.Equal("63C5", card.Tx("00200011"));
            Assert.Equal("63C5", card.Tx("00200082"));
        }

        [Fact]
        public void Probe_DoesNotSpendATry()
        {
            var card = Kit.Selected(Kit.Identity());
            for (int i = 0; i < 10; i++)
            {
                Assert.Equal("63C5", card.Tx("00200011"));
            }

            Assert.Equal(5, card.State.Pin1.TriesLeft);
        }

        [Fact]
        public void Probe_AfterRightVerify_Returns9000()
        {
            var card = Kit.Selected(Kit.Identity());
            Assert.Equal("9000", card.Tx(Kit.IdentityVerify(Pin1, "1234")));

            Assert.Equal("9000", card.Tx("00200011"));
            Assert.Equal("63C5", card.Tx("00200082"));
        }

        [Fact]
        public void Probe_Blocked_Returns6983()
        {
            var state = Kit.Identity();
            state.Pin2.TriesLeft = 0;
            var card = Kit.Selected(state);

            Assert.Equal("6983", card.Tx("00200082"));
        }

        [Fact]
        public void Probe_ActivationCode_Returns6A88()
        {
            var card = Kit.Selected(Kit.Identity());
            Assert.Equal("6A88", card.Tx("00200083"));
        }

        [Fact]
        public void Probe_OrganisationReference_Returns6A88()
        {
            var card = Kit.Selected(Kit.Identity());
            Assert.Equal("6A88", card.Tx("00200003"));
        }

        [Fact]
        public void Select_ClearsVerifiedFlags()
        {
            var card = Kit.Selected(Kit.Identity());
            Assert.Equal("9000", card.Tx(Kit.IdentityVerify(Pin1, "1234")));
            Assert.Equal("9000", card.Tx("00200011"));

            Assert.Equal("9000", card.Tx(Kit.SelectApp));

            Assert.Equal("63C5", card.Tx("00200011"));
        }

        [Fact]
        public void Verify_RightPin_Returns9000AndRestoresTries()
        {
            var card = Kit.Selected(Kit.Identity());
            Assert.Equal("63C4", card.Tx(Kit.IdentityVerify(Pin1, "9999")));
            Assert.Equal("63C3", card.Tx(Kit.IdentityVerify(Pin1, "99999")));

            Assert.Equal("9000", card.Tx(Kit.IdentityVerify(Pin1, "1234")));

            Assert.Equal(5, card.State.Pin1.TriesLeft);
            Assert.Equal(5, Kit.PinInfo(card.Tx(Kit.GetData(Pin1))).Tries);
        }

        [Fact]
        public void Verify_WrongPin_Returns63C4()
        {
            var card = Kit.Selected(Kit.Identity());
            Assert.Equal("63C4", card.Tx(Kit.IdentityVerify(Pin2, "123457")));
            Assert.Equal(4, card.State.Pin2.TriesLeft);
        }

        [Fact]
        public void Verify_FiveWrong_EndsAt63C0ThenBlocked6983WithoutDecrement()
        {
            var card = Kit.Selected(Kit.Identity());
            string[] answers = new string[5];
            for (int i = 0; i < 5; i++)
            {
                answers[i] = card.Tx(Kit.IdentityVerify(Pin1, "0000"));
            }

            Assert.Equal(new[] { "63C4", "63C3", "63C2", "63C1", "63C0" }, answers);
            Assert.Equal("6983", card.Tx(Kit.IdentityVerify(Pin1, "0000")));
            Assert.Equal("6983", card.Tx(Kit.IdentityVerify(Pin1, "1234")));
            Assert.Equal("6983", card.Tx("00200011"));
            Assert.Equal(0, card.State.Pin1.TriesLeft);
            Assert.Equal(0, Kit.PinInfo(card.Tx(Kit.GetData(Pin1))).Tries);
        }

        [Fact]
        public void Verify_UnpaddedData_Returns6700WithoutDecrement()
        {
            var card = Kit.Selected(Kit.Identity());
            Assert.Equal("6700", card.Tx("002000110431323334"));
            Assert.Equal(5, card.State.Pin1.TriesLeft);
        }

        [Theory]
        [InlineData("313233340031000000000000")] // a digit after the padding
        [InlineData("3132333420FFFFFFFFFFFFFF")] // padded with FF
        [InlineData("313233413500000000000000")] // a letter
        public void Verify_BadPaddingOrNonDigits_Returns6A80WithoutDecrement(string data)
        {
            var card = Kit.Selected(Kit.Identity());
            Assert.Equal("6A80", card.Tx(Kit.Verify(Pin1, data)));
            Assert.Equal(5, card.State.Pin1.TriesLeft);
        }

        [Fact]
        public void Verify_AllPadding_Returns6A80()
        {
            var card = Kit.Selected(Kit.Identity());
            Assert.Equal("6A80", card.Tx(Kit.Verify(Pin1, "000000000000000000000000")));
        }

        [Fact]
        public void Change_WrongCurrent_DecrementsAndReturns63Cx()
        {
            var card = Kit.Selected(Kit.Identity());
            Assert.Equal("63C4", card.Tx(Kit.IdentityChange(Pin1, "4321", "5678")));
            Assert.Equal("1234", card.State.Pin1.Value);
            Assert.Equal(4, card.State.Pin1.TriesLeft);
        }

        [Fact]
        public void Change_NewTooShort_Returns6A80WithoutDecrement()
        {
            var card = Kit.Selected(Kit.Identity());
            Assert.Equal("6A80", card.Tx(Kit.IdentityChange(Pin2, "123456", "12345")));
            Assert.Equal("6A80", card.Tx(Kit.IdentityChange(Pin1, "1234", "123")));
            Assert.Equal(5, card.State.Pin2.TriesLeft);
            Assert.Equal(5, card.State.Pin1.TriesLeft);
            Assert.Equal("123456", card.State.Pin2.Value);
        }

        [Fact]
        public void Change_NewLongerThanCardMaximum_Returns6A80()
        {
            var state = Kit.Identity();
            state.Pin1.MaxLength = 8;
            var card = Kit.Selected(state);

            Assert.Equal("6A80", card.Tx(Kit.IdentityChange(Pin1, "1234", "123456789")));
            Assert.Equal("9000", card.Tx(Kit.IdentityChange(Pin1, "1234", "12345678")));
        }

        [Fact]
        public void Change_TwelveDigits_AcceptedByDefaultLimits()
        {
            var card = Kit.Selected(Kit.Identity());
            Assert.Equal("9000", card.Tx(Kit.IdentityChange(Pin2, "123456", "123456789012")));
            Assert.Equal("123456789012", card.State.Pin2.Value);
        }

        [Fact]
        public void Change_SameValue_Returns6985()
        {
            var card = Kit.Selected(Kit.Identity());
            Assert.Equal("6985", card.Tx(Kit.IdentityChange(Pin1, "1234", "1234")));
            Assert.Equal(5, card.State.Pin1.TriesLeft);
        }

        [Fact]
        public void Change_Blocked_Returns6983()
        {
            var state = Kit.Identity();
            state.Pin1.TriesLeft = 0;
            var card = Kit.Selected(state);

            Assert.Equal("6983", card.Tx(Kit.IdentityChange(Pin1, "1234", "5678")));
            Assert.Equal("1234", card.State.Pin1.Value);
        }

        [Fact]
        public void Change_WrongLc_Returns6700()
        {
            var card = Kit.Selected(Kit.Identity());
            Assert.Equal("6700", card.Tx("002400110831323334" + "35363738"));
            Assert.Equal(5, card.State.Pin1.TriesLeft);
        }

        [Fact]
        public void Change_Success_LeavesTheCodeUnverified()
        {
            // IAS-ECC 9.4.2 (ReFineID relies on it): after CHANGE REFERENCE DATA the code is not verified, even when a
            // VERIFY of the current code came just before; the empty VERIFY then answers the counter, not 9000.
            var card = Kit.Selected(Kit.Identity());
            Assert.Equal("9000", card.Tx(Kit.IdentityVerify(Pin1, "1234")));
            Assert.Equal("9000", card.Tx("00200011"));

            Assert.Equal("9000", card.Tx(Kit.IdentityChange(Pin1, "1234", "5678")));

            Assert.Equal("63C5", card.Tx("00200011"));
        }

        [Fact]
        public void Change_Success_SetsValueTriesAndChanged()
        {
            var state = Kit.Identity();
            state.Pin1.Changed = false;
            var card = Kit.Selected(state);
            Assert.Equal("63C4", card.Tx(Kit.IdentityChange(Pin1, "0000", "5678")));

            Assert.Equal("9000", card.Tx(Kit.IdentityChange(Pin1, "1234", "5678")));

            Assert.Equal("5678", card.State.Pin1.Value);
            Assert.Equal(5, card.State.Pin1.TriesLeft);
            Assert.True(card.State.Pin1.Changed);
            Assert.Equal(1, Kit.PinInfo(card.Tx(Kit.GetData(Pin1))).Changed);
            Assert.Equal("63C4", card.Tx(Kit.IdentityVerify(Pin1, "1234")));
            Assert.Equal("9000", card.Tx(Kit.IdentityVerify(Pin1, "5678")));
        }

        [Fact]
        public void Change_ActivationCode_Returns6A88()
        {
            var card = Kit.Selected(Kit.Identity());
            Assert.Equal("6A88", card.Tx(Kit.IdentityChange(ActivationCode, "12345678", "87654321")));
        }

        [Fact]
        public void Unblock_RightActivationCode_SetsPinAndRestoresCounters()
        {
            var state = Kit.Identity();
            state.Pin2.TriesLeft = 0;
            state.ActivationCode.TriesLeft = 3;
            var card = Kit.Selected(state);

            Assert.Equal("9000", card.Tx(Kit.IdentityUnblock(Pin2, "12345678", "654321")));

            Assert.Equal("654321", card.State.Pin2.Value);
            Assert.Equal(5, card.State.Pin2.TriesLeft);
            Assert.Equal(5, card.State.ActivationCode.TriesLeft);
            Assert.True(card.State.Pin2.Changed);
            Assert.Equal("63C5", card.Tx("00200082"));
            Assert.Equal("9000", card.Tx(Kit.IdentityVerify(Pin2, "654321")));
        }

        [Fact]
        public void Unblock_WrongActivationCode_DecrementsActivationCodeOnly()
        {
            var state = Kit.Identity();
            state.Pin1.TriesLeft = 0;
            var card = Kit.Selected(state);

            Assert.Equal("63C4", card.Tx(Kit.IdentityUnblock(Pin1, "11111111", "4321")));

            Assert.Equal(4, card.State.ActivationCode.TriesLeft);
            Assert.Equal(0, card.State.Pin1.TriesLeft);
            Assert.Equal("1234", card.State.Pin1.Value);
        }

        [Fact]
        public void Unblock_ActivationCodeBlocked_Returns6983()
        {
            var state = Kit.Identity();
            state.Pin1.TriesLeft = 0;
            state.ActivationCode.TriesLeft = 0;
            var card = Kit.Selected(state);

            Assert.Equal("6983", card.Tx(Kit.IdentityUnblock(Pin1, "12345678", "4321")));
            Assert.Equal(0, card.State.ActivationCode.TriesLeft);
        }

        [Fact]
        public void Unblock_FiveWrongActivationCodes_BlocksTheActivationCode()
        {
            var card = Kit.Selected(Kit.Identity());
            for (int i = 4; i >= 0; i--)
            {
                Assert.Equal("63C" + i, card.Tx(Kit.IdentityUnblock(Pin1, "00000000", "4321")));
            }

            Assert.Equal("6983", card.Tx(Kit.IdentityUnblock(Pin1, "12345678", "4321")));
            Assert.Equal((0, 0), Kit.PinInfo(card.Tx(Kit.GetData(ActivationCode))));
        }

        [Fact]
        public void Unblock_BadNewLength_Returns6A80WithoutDecrement()
        {
            var card = Kit.Selected(Kit.Identity());
            Assert.Equal("6A80", card.Tx(Kit.IdentityUnblock(Pin2, "12345678", "1234")));
            Assert.Equal(5, card.State.ActivationCode.TriesLeft);
            Assert.Equal("123456", card.State.Pin2.Value);
        }

        [Fact]
        public void Unblock_P2IsTheActivationCode_Returns6A88()
        {
            var card = Kit.Selected(Kit.Identity());
            Assert.Equal("6A88", card.Tx(Kit.IdentityUnblock(ActivationCode, "12345678", "4321")));
        }

        [Fact]
        public void UnknownInstruction_Returns6D00()
        {
            var card = Kit.Selected(Kit.Identity());
            Assert.Equal("6D00", card.Tx("00840000 08".Replace(" ", string.Empty)));
            Assert.Equal("6D00", card.Tx("002A9E9A0401020304"));
        }

        [Fact]
        public void UnknownClass_Returns6E00()
        {
            var card = Kit.Selected(Kit.Identity());
            Assert.Equal("6E00", card.Tx("80A4040C0CA000000063504B43532D3135"));
            Assert.Equal("6E00", card.Tx("0C200011"));
        }

        [Fact]
        public void Save_AfterEveryCounterChange_FileHasTheCounters()
        {
            using var folder = new TempFolder();
            string path = folder.Save(Kit.Identity());
            var card = Kit.Selected(VirtualCardState.Load(path), path);

            card.Tx(Kit.IdentityVerify(Pin1, "0000"));
            Assert.Equal(4, VirtualCardState.Load(path).Pin1.TriesLeft);

            card.Tx(Kit.IdentityChange(Pin2, "123456", "222222"));
            var saved = VirtualCardState.Load(path);
            Assert.Equal("222222", saved.Pin2.Value);
            Assert.True(saved.Pin2.Changed);
        }

        [Fact]
        public void PowerOn_ClearsVerifiedAndReloadsTheFile()
        {
            using var folder = new TempFolder();
            string path = folder.Save(Kit.Identity());
            var card = Kit.Selected(VirtualCardState.Load(path), path);
            Assert.Equal("9000", card.Tx(Kit.IdentityVerify(Pin1, "1234")));

            var edited = VirtualCardState.Load(path);
            edited.Pin2.TriesLeft = 2;
            edited.Save(path);
            card.PowerOff();
            card.PowerOn();

            Assert.Equal("6982", card.Tx("00200011"));
            Assert.Equal("9000", card.Tx(Kit.SelectApp));
            Assert.Equal("63C5", card.Tx("00200011"));
            Assert.Equal("63C2", card.Tx("00200082"));
        }

        [Fact]
        public void Reset_ClearsSessionState()
        {
            var card = Kit.Selected(Kit.Identity());
            Assert.Equal("9000", card.Tx(Kit.IdentityVerify(Pin1, "1234")));

            card.Reset();

            Assert.Equal("6982", card.Tx("00200011"));
        }
    }
}
