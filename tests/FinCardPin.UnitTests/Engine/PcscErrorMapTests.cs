using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.Interop;
using FinCardPin.Engine.PcSc;
using Xunit;

namespace FinCardPin.UnitTests.Engine
{
    public class PcscErrorMapTests
    {
        public static IEnumerable<object[]> EveryFailure() =>
            Enum.GetValues<PcscResult>()
                .Where(r => r != PcscResult.Success)
                .Select(r => new object[] { r });

        public static IEnumerable<object[]> CommonFailures() => new[]
        {
            new object[] { PcscResult.NoService, ErrorIds.ServiceNotRunning },
            new object[] { PcscResult.ServiceStopped, ErrorIds.ServiceNotRunning },
            new object[] { PcscResult.NoSmartCard, ErrorIds.NoCardInReader },
            new object[] { PcscResult.RemovedCard, ErrorIds.CardRemoved },
            new object[] { PcscResult.SharingViolation, ErrorIds.ReaderInExclusiveUse },
            new object[] { PcscResult.UnknownReader, ErrorIds.ReaderNotFound },
            new object[] { PcscResult.ReaderUnavailable, ErrorIds.ReaderUnavailable },
            new object[] { PcscResult.ResetCard, ErrorIds.CardReset },
            new object[] { PcscResult.SecurityViolation, ErrorIds.AccessDenied },
            new object[] { PcscResult.Win32AccessDenied, ErrorIds.AccessDenied },
            new object[] { PcscResult.UnresponsiveCard, ErrorIds.CardNotResponding },
            new object[] { PcscResult.Timeout, ErrorIds.SmartCardTimeout },
            new object[] { PcscResult.Cancelled, ErrorIds.OperationCancelled },
        };

        [Theory]
        [MemberData(nameof(EveryFailure))]
        public void ToException_EveryFailure_HasIdMessageAndResult(PcscResult result)
        {
            var error = PcscErrorMap.ToException(result, "Reader A", CardOperation.TalkToCard);

            Assert.IsAssignableFrom<PcscException>(error);
            Assert.False(string.IsNullOrWhiteSpace(error.ErrorId));
            Assert.False(string.IsNullOrWhiteSpace(error.Message));
            Assert.Equal(result, error.Result);
            Assert.Equal("Reader A", error.ReaderName);
        }

        [Theory]
        [MemberData(nameof(CommonFailures))]
        public void ToException_CommonFailure_HasItsId(PcscResult result, string errorId)
        {
            var error = PcscErrorMap.ToException(result, "Reader A", CardOperation.TalkToCard);

            Assert.Equal(errorId, error.ErrorId);
            Assert.Equal(CardOperation.TalkToCard, error.Facts["operation"]);
        }

        [Fact]
        public void ToException_TypedExceptions_MatchTheFailure()
        {
            Assert.IsType<SmartCardServiceException>(PcscErrorMap.ToException(PcscResult.NoService, null, CardOperation.TalkToCard));
            Assert.IsType<SmartCardServiceException>(PcscErrorMap.ToException(PcscResult.ServiceStopped, null, CardOperation.TalkToCard));
            Assert.IsType<NoCardException>(PcscErrorMap.ToException(PcscResult.NoSmartCard, "R", CardOperation.TalkToCard));
            Assert.IsType<CardRemovedException>(PcscErrorMap.ToException(PcscResult.RemovedCard, "R", CardOperation.TalkToCard));
            Assert.IsType<ReaderBusyException>(PcscErrorMap.ToException(PcscResult.SharingViolation, "R", CardOperation.TalkToCard));
            Assert.IsType<ReaderNotFoundException>(PcscErrorMap.ToException(PcscResult.UnknownReader, "R", CardOperation.TalkToCard));
        }

        [Fact]
        public void ToException_ReaderName_IsInTheMessage()
        {
            var error = PcscErrorMap.ToException(PcscResult.NoSmartCard, "ACS ACR39U 00 00", CardOperation.TalkToCard);

            Assert.Equal("ACS ACR39U 00 00", error.ReaderName);
            Assert.Equal(ErrorIds.NoCardInReader, error.MessageKey);
        }

        [Fact]
        public void ToException_UncommonFailure_NamesTheCodeAndOperation()
        {
            var error = PcscErrorMap.ToException(PcscResult.DuplicateReader, null, CardOperation.ListReaders);

            Assert.Equal(ErrorIds.SmartCardError, error.ErrorId);
            Assert.Equal(ErrorIds.SmartCardError, error.MessageKey);
            Assert.Equal("0x8010001B", error.Facts["status"]);
            Assert.Equal(CardOperation.ListReaders, error.Facts["operation"]);
        }

        [Theory]
        [InlineData(PcscResult.NoService, true)]
        [InlineData(PcscResult.ServiceStopped, true)]
        [InlineData(PcscResult.InvalidHandle, true)]
        [InlineData(PcscResult.Win32InvalidHandle, true)]
        [InlineData(PcscResult.RemovedCard, false)]
        [InlineData(PcscResult.UnknownReader, false)]
        [InlineData(PcscResult.Success, false)]
        public void MeansContextLost_OnlyServiceAndHandleCodes(PcscResult result, bool lost)
        {
            Assert.Equal(lost, PcscErrorMap.MeansContextLost(result));
        }

        [Fact]
        public void ErrorIds_AreDistinctAndNonEmpty()
        {
            var ids = typeof(ErrorIds).GetFields(BindingFlags.Public | BindingFlags.Static)
                .Where(f => f.IsLiteral && f.FieldType == typeof(string))
                .Select(f => (string)f.GetRawConstantValue()!)
                .ToArray();

            Assert.True(ids.Length >= 30, "ErrorIds should list every id; found " + ids.Length);
            Assert.All(ids, id => Assert.False(string.IsNullOrWhiteSpace(id)));
            Assert.Equal(ids.Length, ids.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        }

        [Theory]
        [MemberData(nameof(EveryFailure))]
        public void ToException_EveryFailure_UsesAKnownErrorId(PcscResult result)
        {
            var known = typeof(ErrorIds).GetFields(BindingFlags.Public | BindingFlags.Static)
                .Select(f => (string)f.GetRawConstantValue()!)
                .ToHashSet(StringComparer.Ordinal);

            Assert.Contains(PcscErrorMap.ToException(result, "R", CardOperation.TalkToCard).ErrorId, known);
        }
    }
}
