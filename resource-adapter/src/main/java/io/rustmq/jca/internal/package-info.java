/** Implementation classes of the resource adapter; not API. */
package io.rustmq.jca.internal;
