using System;
using System.IO;

namespace FinCardPin.VirtualCard
{
    /// <summary>What is wrong with a file given as a virtual card.</summary>
    internal enum VirtualCardFileProblem
    {
        /// <summary>Not a card file: text or bytes of anything else, JSON of another shape, an unknown profile.</summary>
        NotACardFile,

        /// <summary>Empty, or not a regular file (a FIFO or a device reports no length).</summary>
        Empty,

        /// <summary>Far larger than any card file.</summary>
        TooLarge,

        /// <summary>The file could not be read (in use, or no right to read it).</summary>
        Unreadable,
    }

    /// <summary>
    /// A file that cannot be used as a virtual card, with which file and what is wrong as facts: the module words the
    /// message itself. What the JSON reader or the file system said stays in the inner exception, for a debugger only.
    /// An IOException, as the file system's own failures to read the file are (InvalidDataException is sealed).
    /// </summary>
    [Serializable]
    internal sealed class VirtualCardFileException : IOException
    {
        public VirtualCardFileException()
        {
        }

        public VirtualCardFileException(string message)
            : base(message)
        {
        }

        public VirtualCardFileException(string message, Exception innerException)
            : base(message, innerException)
        {
        }

        public VirtualCardFileException(string path, VirtualCardFileProblem problem, Exception? innerException = null)
            : base("Not a usable virtual card file (" + problem + "): " + path, innerException)
        {
            FilePath = path;
            Problem = problem;
        }

        /// <summary>The file as it was named.</summary>
        public string FilePath { get; } = string.Empty;

        public VirtualCardFileProblem Problem { get; }
    }
}
