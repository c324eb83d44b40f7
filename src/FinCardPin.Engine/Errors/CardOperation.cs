namespace FinCardPin.Engine.Errors
{
    /// <summary>What the engine was doing when a failure came: a fact of the failure, worded by the cmdlet assembly.</summary>
    public enum CardOperation
    {
        ListReaders,
        ReadReaderStates,
        ReadReaderState,
        Connect,
        ChooseReader,
        ChooseCard,
        OpenCard,
        BeginTransaction,
        Reconnect,
        TalkToCard,
        SendCode,
        SelectApplication,
        VerifyCode,
        ChangeCode,
        UnblockCode,
    }
}
