using System.Globalization;

namespace FinCardPin.Engine.Fineid
{
    /// <summary>How many digits a code may have.</summary>
    internal sealed class LengthRule
    {
        public LengthRule(int minimum, int maximum, LengthNote note = LengthNote.None)
        {
            Minimum = minimum;
            Maximum = maximum;
            Note = note;
        }

        public int Minimum { get; }

        public int Maximum { get; }

        /// <summary>A caveat users need, e.g. that an organisation card wants more digits than a SOTE card.</summary>
        public LengthNote Note { get; }

        public bool Allows(int length) => length >= Minimum && length <= Maximum;

        /// <summary>The range as numbers ("4-8", "8"); the cmdlet assembly words it.</summary>
        public override string ToString() =>
            Minimum == Maximum
                ? Minimum.ToString(CultureInfo.InvariantCulture)
                : Minimum.ToString(CultureInfo.InvariantCulture) + "-" + Maximum.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>A caveat to a length rule.</summary>
    internal enum LengthNote
    {
        None,

        /// <summary>The card cannot tell organisation and SOTE cards apart: 6-8 digits on organisation cards, 4-8 on SOTE cards.</summary>
        OrganisationOrSote,

        /// <summary>The card's own PKCS#15 data narrowed the DVV's rule.</summary>
        CardsOwnRule,
    }

    /// <summary>Which entry of a code a refusal is about.</summary>
    internal enum CodeRole
    {
        /// <summary>The code itself (checked, or the activation code).</summary>
        Given,

        /// <summary>The current code being changed.</summary>
        Current,

        /// <summary>The new code being set.</summary>
        New,
    }
}
