using System;
using System.IO;

namespace FinCardPin.Infrastructure
{
    /// <summary>
    /// Why a file could not be written, as the module words it in each language ("FileFailure.&lt;name&gt;" in the
    /// resources) instead of .NET's English message; the exception itself stays in the error record for the details.
    /// </summary>
    internal enum FileFailure
    {
        /// <summary>No permission to write there.</summary>
        AccessDenied,

        /// <summary>The folder the file would go into does not exist.</summary>
        FolderMissing,

        /// <summary>The path is longer than the system takes.</summary>
        PathTooLong,

        /// <summary>The path is not one the system takes (characters, form).</summary>
        InvalidPath,

        /// <summary>Anything else the system refused.</summary>
        Other,
    }

    /// <summary>Tells a <see cref="FileFailure"/> from the exception a write failed with.</summary>
    internal static class FileFailures
    {
        public static FileFailure Of(Exception exception)
        {
            switch (exception)
            {
                case UnauthorizedAccessException _:
                    return FileFailure.AccessDenied;
                case DirectoryNotFoundException _:
                    return FileFailure.FolderMissing;
                case PathTooLongException _:
                    return FileFailure.PathTooLong;
                case ArgumentException _:
                case NotSupportedException _:
                    return FileFailure.InvalidPath;
                default:
                    return FileFailure.Other;
            }
        }
    }
}
