/** The test application deployed into the servers: an EJB that sends, MDBs that record, a servlet to read them. */
package io.rustmq.it.jakarta.app;
