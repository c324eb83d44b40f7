using System;
using System.Management.Automation;
using FinCardPin.Engine.Fineid;

namespace FinCardPin.Infrastructure
{
    /// <summary>Lets -Code take any name users know a code by ("Signature", "grundkod", "PIN1", 2, …).</summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    internal sealed class PinCodeTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            if (value is System.Collections.IEnumerable many && !(value is string))
            {
                var codes = new System.Collections.Generic.List<PinCode>();
                foreach (var item in many)
                {
                    codes.Add((PinCode)Transform(engineIntrinsics, item));
                }

                return codes.ToArray();
            }

            switch (value)
            {
                case PinCode code:
                    return code;
                case int number when Enum.IsDefined(typeof(PinCode), number):
                    return (PinCode)number;
                case string name when PinCodeNames.TryParse(name, out var parsed):
                    return parsed;
                default:
                    throw new ArgumentTransformationMetadataException(
                        "'" + value + "' is not a code name. Use Pin1 (basic/authentication code), Pin2 (signature code) or ActivationCode.");
            }
        }
    }
}
