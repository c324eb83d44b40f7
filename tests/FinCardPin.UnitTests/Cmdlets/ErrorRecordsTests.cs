using System;
using System.Linq;
using System.Management.Automation;
using FinCardPin.Engine.Errors;
using FinCardPin.Infrastructure;
using FinCardPin.Localization;
using Xunit;

namespace FinCardPin.UnitTests.Cmdlets
{
    /// <summary>
    /// How an engine failure reaches the user as an ErrorRecord: the stable id as FullyQualifiedErrorId, the
    /// PowerShell category of its kind, the reader as target, and the message and next step from the texts.
    /// </summary>
    public class ErrorRecordsTests
    {
        public static TheoryData<FailureKind> EveryKind()
        {
            var kinds = new TheoryData<FailureKind>();
            foreach (FailureKind kind in Enum.GetValues<FailureKind>())
            {
                kinds.Add(kind);
            }

            return kinds;
        }

        [Theory]
        [MemberData(nameof(EveryKind))]
        public void CategoryOf_EveryKind_IsTheCategoryOfTheSameName(FailureKind kind)
        {
            Assert.Equal(kind.ToString(), ErrorRecords.CategoryOf(kind).ToString());
        }

        [Fact]
        public void CategoryOf_ValueOutsideTheEnum_Throws()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => ErrorRecords.CategoryOf((FailureKind)999));
        }

        [Fact]
        public void From_WrongPin_CarriesIdCategoryReaderAndTexts()
        {
            var failure = new FinCardPinException(ErrorIds.WrongPin, FailureKind.AuthenticationError)
                .With("reader", "Reader A")
                .With("code", "Pin1")
                .With("triesLeft", 2);

            ErrorRecord record = ErrorRecords.From(failure, null);

            Assert.Equal(ErrorIds.WrongPin, record.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.AuthenticationError, record.CategoryInfo.Category);
            Assert.Same(failure, record.Exception);
            Assert.Equal(ErrorTexts.MessageOf(failure, null), record.ErrorDetails.Message);
            Assert.Equal(ErrorTexts.ActionOf(failure, null), record.ErrorDetails.RecommendedAction);
            Assert.False(string.IsNullOrWhiteSpace(record.ErrorDetails.Message));
        }

        [Fact]
        public void From_TargetGiven_TargetIsThatObject()
        {
            var failure = new FinCardPinException(ErrorIds.ReaderNotFound, FailureKind.ObjectNotFound).With("reader", "Reader A");
            var target = new object();

            Assert.Same(target, ErrorRecords.From(failure, target).TargetObject);
        }

        [Fact]
        public void From_NoTarget_TargetIsTheReaderName()
        {
            var failure = new FinCardPinException(ErrorIds.CardBusy, FailureKind.ResourceBusy).With("reader", "Reader B");

            Assert.Equal(failure.ReaderName, ErrorRecords.From(failure, null).TargetObject);
        }

        [Fact]
        public void EndsTheCall_OnlyFailuresNoLaterReaderCanEscape()
        {
            string[] ending =
            {
                ErrorIds.ServiceNotRunning, ErrorIds.AccessDenied, ErrorIds.PlatformNotSupported,
                ErrorIds.PinPromptNotAvailable, ErrorIds.InvalidTimeoutSetting, ErrorIds.VirtualCardFileInvalid,
                ErrorIds.ConfirmationNotAvailable,
            };
            foreach (string id in ending)
            {
                Assert.True(ErrorRecords.EndsTheCall(new FinCardPinException(id, FailureKind.NotSpecified)), id);
            }

            foreach (string id in new[] { ErrorIds.WrongPin, ErrorIds.CardBusy, ErrorIds.ReaderNotFound }.Where(i => !ending.Contains(i)))
            {
                Assert.False(ErrorRecords.EndsTheCall(new FinCardPinException(id, FailureKind.NotSpecified)), id);
            }
        }
    }
}
