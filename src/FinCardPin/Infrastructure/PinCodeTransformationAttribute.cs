using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.Fineid;
using FinCardPin.Localization;

namespace FinCardPin.Infrastructure
{
    /// <summary>
    /// Lets -Code take any name users know a code by ("Signature", "grundkod", "PIN1", 2, a piped PinStatus's
    /// Code, …) and binds its canonical name ("Pin1", "Pin2", "ActivationCode"). An unknown name is bound as a
    /// stand-in that the cmdlet refuses (InvalidCodeName) before any card is touched: a transformation's own
    /// exception could only end as PowerShell's ParameterArgumentTransformationError, whose message starts with
    /// PowerShell's English words even in a Finnish or Swedish session. It also holds which codes its cmdlet works
    /// on: the refusal, tab completion and the cmdlet's own check all suggest and accept from that one set.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    internal sealed class PinCodeTransformationAttribute : ArgumentTransformationAttribute
    {
        private static readonly PinCode[] AllCodes = { PinCode.Pin1, PinCode.Pin2, PinCode.ActivationCode };

        // Stand-ins are marked by control characters no name has; a name holding digits is not carried at all.
        private const char StandInMark = '\u001F';
        private const string OneOnlyStandIn = "\u001E";
        private const string WithheldStandIn = "\u001D";

        /// <summary>The parameter takes any of the codes.</summary>
        public PinCodeTransformationAttribute()
            : this(AllCodes)
        {
        }

        /// <summary>The parameter's cmdlet works on these codes only.</summary>
        public PinCodeTransformationAttribute(params PinCode[] accepts)
        {
            Accepts = accepts == null || accepts.Length == 0 ? AllCodes : accepts;
        }

        /// <summary>Whether the parameter takes several codes (string[]) rather than one.</summary>
        public bool Many { get; set; }

        /// <summary>The codes the cmdlet works on, in the order they are suggested.</summary>
        public IReadOnlyList<PinCode> Accepts { get; }

        /// <summary>The codes the -Code parameter of <paramref name="cmdletType"/> takes (every code when it has none).</summary>
        public static IReadOnlyList<PinCode> AcceptedBy(Type? cmdletType)
        {
            var property = cmdletType?.GetProperty("Code", BindingFlags.Public | BindingFlags.Instance);
            return property?.GetCustomAttribute<PinCodeTransformationAttribute>(true)?.Accepts ?? AllCodes;
        }

        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            if (value is IEnumerable items && !(value is string))
            {
                var names = new List<string>();
                foreach (var item in items)
                {
                    names.Add(CanonicalName(item is PSObject inner ? inner.BaseObject : item));
                }

                if (Many)
                {
                    return names.ToArray();
                }

                if (names.Count != 1)
                {
                    return OneOnlyStandIn;
                }

                return names[0];
            }

            var name = CanonicalName(value);
            return Many ? new[] { name } : (object)name;
        }

        private static string CanonicalName(object? value)
        {
            switch (value)
            {
                case PinCode code when Enum.IsDefined(typeof(PinCode), code):
                    return code.ToString();
                case int number when PinCodeNames.TryParse(number.ToString(System.Globalization.CultureInfo.InvariantCulture), out var numbered):
                    return numbered.ToString();
                case string name when PinCodeNames.TryParse(name, out var parsed):
                    return parsed.ToString();
                default:
                    // A value with digits may be a code typed in the wrong place (Test-CardPin 4826): it is not kept.
                    var given = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
                    return UserInput.HoldsDigits(given) ? WithheldStandIn : StandInMark + given;
            }
        }

        /// <summary>
        /// The refusal of the first name in <paramref name="codes"/> that was not a code name, or null when every one
        /// was; called before the cmdlet reads anything.
        /// </summary>
        public static FinCardPinException? RefusalFor(IEnumerable<string>? codes, Type cmdletType)
        {
            var standIn = codes?.FirstOrDefault(c => c == OneOnlyStandIn || c == WithheldStandIn || (c != null && c.Length > 0 && c[0] == StandInMark));
            if (standIn == null)
            {
                return null;
            }

            var names = ChoiceText(AcceptedBy(cmdletType));
            switch (standIn)
            {
                case OneOnlyStandIn:
                    return new FinCardPinException(ErrorIds.InvalidCodeName, FailureKind.InvalidArgument, ErrorIds.InvalidCodeName + ".OneOnly");
                case WithheldStandIn:
                    return new FinCardPinException(ErrorIds.InvalidCodeName, FailureKind.InvalidArgument, ErrorIds.InvalidCodeName + ".Withheld")
                        .With("names", names);
                default:
                    return new FinCardPinException(ErrorIds.InvalidCodeName, FailureKind.InvalidArgument)
                        .With("value", standIn.Substring(1))
                        .With("names", names);
            }
        }

        // "Pin1 (basic/authentication code) or Pin2 (signature code)": the names to use, in the user's language.
        private static string ChoiceText(IReadOnlyList<PinCode> codes)
        {
            var names = codes.Select(c => Texts.Get("Binding.CodeChoice." + c)).ToList();
            return names.Count == 1
                ? names[0]
                : Texts.Get("Binding.CodeChoice.Last", "list", string.Join(", ", names.Take(names.Count - 1)), "last", names[names.Count - 1]);
        }
    }
}
