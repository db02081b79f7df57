package io.pgflo.json;

/** The built-in type OIDs whose text has a natural JSON form; every other type is written as a string. */
final class PgTypeOids {
    static final int BOOL = 16;
    static final int BYTEA = 17;
    static final int INT8 = 20;
    static final int INT2 = 21;
    static final int INT4 = 23;
    static final int OID = 26;
    static final int JSON = 114;
    static final int BOX = 603;
    static final int FLOAT4 = 700;
    static final int FLOAT8 = 701;
    static final int TIMESTAMP = 1114;
    static final int TIMESTAMPTZ = 1184;
    static final int NUMERIC = 1700;
    static final int JSONB = 3802;

    private PgTypeOids() {}
}
