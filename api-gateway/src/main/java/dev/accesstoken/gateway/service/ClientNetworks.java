package dev.accesstoken.gateway.service;

import java.net.InetAddress;
import java.net.UnknownHostException;

import io.netty.util.NetUtil;

/**
 * What the throttle counts a client address as. One IPv6 host can take any address of its /64 (privacy
 * addresses, SLAAC), so an IPv6 client is its /64 everywhere: the /64 is what an IPv4 address is. The network a
 * username is throttled per is the /24 (IPv4) or that /64 (IPv6): a guesser moving within it gains nothing.
 */
final class ClientNetworks {

    private ClientNetworks() {
    }

    /** An IPv4 address as it is; an IPv6 address as its /64. Anything else (no literal) as it is. */
    static String address(String literal) {
        byte[] bytes = bytes(literal);
        return bytes == null || bytes.length == 4 ? literal : prefix(bytes, 64);
    }

    /** The /24 of an IPv4 address, the /64 of an IPv6 address. */
    static String network(String literal) {
        byte[] bytes = bytes(literal);
        if (bytes == null) {
            return literal;
        }
        return bytes.length == 4 ? prefix(bytes, 24) : prefix(bytes, 64);
    }

    private static byte[] bytes(String literal) {
        // Netty parses literals only, never a host name: no DNS lookup can happen here.
        byte[] bytes = literal == null ? null : NetUtil.createByteArrayFromIpAddressString(literal);
        if (bytes != null && bytes.length == 16 && isMappedIpv4(bytes)) {
            byte[] v4 = new byte[4];
            System.arraycopy(bytes, 12, v4, 0, 4);
            return v4;
        }
        return bytes;
    }

    private static boolean isMappedIpv4(byte[] v6) {
        for (int i = 0; i < 10; i++) {
            if (v6[i] != 0) {
                return false;
            }
        }
        return v6[10] == (byte) 0xff && v6[11] == (byte) 0xff;
    }

    private static String prefix(byte[] bytes, int bits) {
        byte[] masked = bytes.clone();
        for (int i = 0; i < masked.length; i++) {
            int keep = Math.max(0, Math.min(8, bits - 8 * i));
            masked[i] &= (byte) (0xff << (8 - keep));
        }
        try {
            return InetAddress.getByAddress(masked).getHostAddress() + "/" + bits;
        } catch (UnknownHostException impossible) { // only for a wrong length, and these are 4 or 16 bytes
            throw new IllegalStateException(impossible);
        }
    }
}
