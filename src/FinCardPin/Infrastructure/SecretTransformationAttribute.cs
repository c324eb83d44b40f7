using System;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Security;
using FinCardPin.Engine.Errors;

namespace FinCardPin.Infrastructure
{
    /// <summary>
    /// Lets a code parameter take a SecureString only. Anything else (-Pin 4826, -Pin '4826') is bound as an empty
    /// stand-in that the cmdlet refuses before it does anything, with its own error id (CodeNotSecureString) and the
    /// way to pass a code: PowerShell's own refusal ("Cannot convert the "4826" value of type System.String …") would
    /// write the digits of a code given as plain text into $Error and every log, under a binding error id, and a
    /// transformation's own exception can only ever end as PowerShell's ParameterArgumentTransformationError.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    internal sealed class SecretTransformationAttribute : ArgumentTransformationAttribute
    {
        // The stand-ins bound for plain values, known by identity only: an empty read-only SecureString is what a user
        // could also give, so the identity (not the content) is what tells them apart.
        private static readonly ConditionalWeakTable<SecureString, object> StandIns = new ConditionalWeakTable<SecureString, object>();

        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            if (value == null || value is SecureString)
            {
                return value;
            }

            // The value itself is dropped here: not kept, not converted, not described.
            var standIn = new SecureString();
            standIn.MakeReadOnly();
            StandIns.Add(standIn, new object());
            return standIn;
        }

        /// <summary>
        /// The refusal of the first code parameter of this call that was given a plain value, or null when every code
        /// parameter holds a SecureString (or nothing). Called before a cmdlet reads, prompts for or sends anything.
        /// </summary>
        public static FinCardPinException? RefusalFor(InvocationInfo invocation)
        {
            if (invocation == null)
            {
                throw new ArgumentNullException(nameof(invocation));
            }

            foreach (var bound in invocation.BoundParameters)
            {
                if (bound.Value is SecureString given && StandIns.TryGetValue(given, out _))
                {
                    return new FinCardPinException(ErrorIds.CodeNotSecureString, FailureKind.InvalidArgument)
                        .With("parameter", bound.Key)
                        .With("command", invocation.MyCommand?.Name ?? string.Empty);
                }
            }

            return null;
        }
    }
}
