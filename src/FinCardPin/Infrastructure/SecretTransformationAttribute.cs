using System;
using System.Management.Automation;
using System.Security;
using FinCardPin.Localization;

namespace FinCardPin.Infrastructure
{
    /// <summary>
    /// Lets a code parameter take a SecureString only, and refuses anything else without repeating it: PowerShell's
    /// own refusal ("Cannot convert the "4826" value of type System.String …") would write the digits of a code given
    /// as plain text into $Error and every log.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    internal sealed class SecretTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            if (value == null || value is SecureString)
            {
                return value;
            }

            throw new ArgumentTransformationMetadataException(Texts.Get("Binding.SecretNotSecureString"));
        }
    }
}
