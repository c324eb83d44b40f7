using System.Globalization;

namespace FinCardPin.Engine.Fineid
{
    /// <summary>How many digits a code may have.</summary>
    public sealed class LengthRule
    {
        public LengthRule(int minimum, int maximum, string? note = null)
        {
            Minimum = minimum;
            Maximum = maximum;
            Note = note;
        }

        public int Minimum { get; }

        public int Maximum { get; }

        /// <summary>A caveat users need, e.g. that an organisation card wants more digits than a SOTE card.</summary>
        public string? Note { get; }

        public bool Allows(int length) => length >= Minimum && length <= Maximum;

        public override string ToString()
        {
            var text = Minimum == Maximum
                ? Minimum.ToString(CultureInfo.InvariantCulture) + " digits"
                : Minimum.ToString(CultureInfo.InvariantCulture) + "-" + Maximum.ToString(CultureInfo.InvariantCulture) + " digits";
            return Note == null ? text : text + " (" + Note + ")";
        }
    }
}
