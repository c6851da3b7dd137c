package dev.bourse.server.auth;

/** A stored key as the verifier needs it: the listing fields, the sealed secret and the passphrase hash. */
public record ApiKeyRecord(ApiKeyInfo info, SecretBox.Sealed secret, PassphraseHasher.Hash passphrase) {

    @Override
    public String toString() {
        return "ApiKeyRecord[" + info + "]";
    }
}
