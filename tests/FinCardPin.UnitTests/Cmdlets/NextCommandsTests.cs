using System.Linq;
using System.Management.Automation.Language;
using FinCardPin.Engine.Fineid;
using FinCardPin.Engine.Interop;
using FinCardPin.Engine.PcSc;
using FinCardPin.Infrastructure;
using Xunit;

namespace FinCardPin.UnitTests.Cmdlets
{
    /// <summary>NextCommand is a command that works as pasted: the reader named literally when it must be, none where no command helps.</summary>
    public class NextCommandsTests
    {
        [Theory]
        [InlineData("HID Global OMNIKEY 3x21 [OMNIKEY 3x21 Smart Card Reader] 00 00")]
        [InlineData("O'Brien's reader * ? 01 00")]
        [InlineData("Reader `[weird`] 02 00")]
        public void ReaderName_AsPastedSelectsThatReaderOnly(string name)
        {
            var command = NextCommands.For(PinCode.Pin2, PinAdvice.Unblock, name)!;

            var ast = Parser.ParseInput(command, out _, out var errors);
            Assert.Empty(errors);
            var call = Assert.Single(ast.FindAll(a => a is CommandAst, true).Cast<CommandAst>());
            Assert.Equal("Unlock-CardPin", call.GetCommandName());
            var elements = call.CommandElements.ToList();
            var at = elements.FindIndex(e => e is CommandParameterAst p && p.ParameterName == "ReaderName");
            var value = Assert.IsType<StringConstantExpressionAst>(elements[at + 1]).Value;
            Assert.Equal(name, value); // the name as the user sees it in Get-CardReader, nothing escaped
            var nearMisses = new[] { name + "x", name.Replace("[", "x").Replace("*", "xyz").Replace("?", "q"), "Other reader 00 00" };
            var readers = new[] { name }.Concat(nearMisses).Distinct()
                .Select(n => new ReaderSnapshot(n, ReaderStates.Empty, System.Array.Empty<byte>(), 1)).ToList();
            Assert.Equal(new[] { name }, ReaderSelection.Named(readers, value, literal: false).Select(r => r.Name));
        }

        [Fact]
        public void OneCard_NoReaderName()
        {
            Assert.Equal("Unlock-CardPin -Code Pin2", NextCommands.For(PinCode.Pin2, PinAdvice.Unblock));
            Assert.Equal("Set-CardPin -Code Pin1", NextCommands.For(PinCode.Pin1, PinAdvice.ActivateBySet));
        }

        [Fact]
        public void UsedUpActivationCode_HasNoCommand_OnlyWords()
        {
            Assert.Null(NextCommands.For(PinCode.ActivationCode, PinAdvice.ReplaceCardOrLetter, "Reader A"));
            Assert.False(NextCommands.HasCommand(PinAdvice.ReplaceCardOrLetter));
            Assert.False(string.IsNullOrEmpty(NextCommands.Advice(PinAdvice.ReplaceCardOrLetter)));
        }
    }
}
