using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using FinCardPin.Engine.Fineid;
using FinCardPin.Localization;

namespace FinCardPin.Infrastructure
{
    /// <summary>
    /// Lets -Code take any name users know a code by ("Signature", "grundkod", "PIN1", 2, a piped PinStatus's
    /// Code, …) and binds its canonical name ("Pin1", "Pin2", "ActivationCode"). An unknown name is refused while
    /// the parameters are bound, before any card is touched.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    internal sealed class PinCodeTransformationAttribute : ArgumentTransformationAttribute
    {
        /// <summary>Whether the parameter takes several codes (string[]) rather than one.</summary>
        public bool Many { get; set; }

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
                    throw new ArgumentTransformationMetadataException(Texts.Get("Binding.OneCodeOnly"));
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
                    // A value with digits may be a code typed in the wrong place (Test-CardPin 4826): it is not repeated.
                    var given = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
                    throw new ArgumentTransformationMetadataException(UserInput.HoldsDigits(given)
                        ? Texts.Get("Binding.UnknownCodeNameWithheld")
                        : Texts.Get("Binding.UnknownCodeName", "value", given));
            }
        }
    }
}
